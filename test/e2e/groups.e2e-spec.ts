import { Client } from 'pg';
import { createTestApp, TestApp } from '../support/app';
import { ERROR, filterQuery, GROUP, LIST, makeGroup, makeUser, patchOp, scimClient, TEAM } from '../support/scim';

describe('/scim/v2/Groups', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'https://scim.example.com' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    scim = scimClient(t, await t.token());
  });

  const user = async (o: Record<string, unknown> = {}) => {
    const res = await scim.post('/Users', makeUser(o));
    expect(res.status).toBe(201);
    return res.body as { id: string; userName: string };
  };
  const group = async (o: Record<string, unknown> = {}) => {
    const res = await scim.post('/Groups', makeGroup(o));
    expect(res.status).toBe(201);
    return res.body as { id: string; displayName: string; meta: { version: string } };
  };
  const memberIds = async (id: string) =>
    ((await scim.get(`/Groups/${id}`)).body.members ?? []).map((m: { value: string }) => m.value).sort() as string[];
  const rows = async (groupId: string) => (await t.sql('SELECT 1 FROM group_members WHERE group_id = $1', [groupId])).length;

  it('creates a team with members and team metadata: 201, Location, ETag, members with display and $ref', async () => {
    const alice = await user({ displayName: 'Alice' });
    const body: Record<string, unknown> = makeGroup({
      schemas: [GROUP, TEAM],
      externalId: 'okta-42',
      members: [{ value: alice.id, type: 'User' }],
      [TEAM]: { description: 'Platform', metadata: { budgetUsd: 500, models: ['gpt-4o'], nested: { a: [1, { b: null }] } } },
    });
    const res = await scim.post('/Groups', body);
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(new RegExp(`/scim/v2/Groups/${res.body.id}$`));
    expect(res.headers.etag).toBe(res.body.meta.version);
    expect(res.body).toMatchObject({
      schemas: [GROUP, TEAM],
      displayName: body.displayName,
      externalId: 'okta-42',
      members: [
        { value: alice.id, display: 'Alice', type: 'User', $ref: expect.stringMatching(new RegExp(`/scim/v2/Users/${alice.id}$`)) },
      ],
      [TEAM]: body[TEAM],
      meta: { resourceType: 'Group' },
    });
    expect(await scim.get(`/Groups/${res.body.id}`).then((r) => r.body)).toEqual(res.body);
  });

  it('round-trips team metadata through PUT and PATCH', async () => {
    const g = await group({ schemas: [GROUP, TEAM], [TEAM]: { description: 'one', metadata: { k: 1 } } });
    const put = await scim.put(
      `/Groups/${g.id}`,
      makeGroup({ displayName: g.displayName, [TEAM]: { description: 'two', metadata: { k: 2, list: [true] } } }),
    );
    expect(put.status).toBe(200);
    expect(put.body[TEAM]).toEqual({ description: 'two', metadata: { k: 2, list: [true] } });
    const patch = await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: `${TEAM}:metadata`, value: { k: 3 } }));
    expect(patch.status).toBe(204);
    expect((await scim.get(`/Groups/${g.id}`)).body[TEAM]).toEqual({ description: 'two', metadata: { k: 3 } });
  });

  it('keeps team settings on a core-only PUT (an IdP that does not know the extension cannot wipe them)', async () => {
    const g = await group({ schemas: [GROUP, TEAM], [TEAM]: { description: 'kept', metadata: { k: 1 } } });
    const put = await scim.put(`/Groups/${g.id}`, { schemas: [GROUP], displayName: 'Renamed' });
    expect(put.body).toMatchObject({ schemas: [GROUP, TEAM], displayName: 'Renamed', [TEAM]: { description: 'kept', metadata: { k: 1 } } });
  });

  it("accepts Entra's legacy attribute-less Group schema marker in place of the core URN", async () => {
    const res = await scim.post('/Groups', {
      schemas: ['http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      displayName: 'Legacy',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ schemas: [GROUP], displayName: 'Legacy' });
  });

  it('requires displayName and answers 404 for unknown groups', async () => {
    const res = await scim.post('/Groups', { schemas: [GROUP] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidValue', detail: expect.stringContaining('displayName') });
    expect((await scim.get('/Groups/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await scim.get('/Groups/nope')).status).toBe(404);
    expect((await scim.patch('/Groups/nope', patchOp({ op: 'replace', path: 'displayName', value: 'x' }))).status).toBe(404);
  });

  describe('Microsoft Entra ID group sequence', () => {
    it('creates, looks up without members, adds, removes both ways, renames and deletes', async () => {
      const [a, b, c, d] = [await user(), await user(), await user(), await user()];
      const created = await scim.post('/Groups', { schemas: [GROUP], externalId: 'aad-1', displayName: 'Engineering', members: [] });
      expect(created.status).toBe(201);
      const id = created.body.id as string;

      const lookup = await scim.get(`/Groups?${filterQuery('displayName eq "Engineering"')}&excludedAttributes=members`);
      expect(lookup.body).toMatchObject({ schemas: [LIST], totalResults: 1, Resources: [{ id, displayName: 'Engineering' }] });
      expect(lookup.body.Resources[0]).not.toHaveProperty('members');

      const add = await scim.patch(
        `/Groups/${id}`,
        patchOp({
          op: 'Add',
          path: 'members',
          value: [
            { $ref: null, value: a.id },
            { $ref: null, value: b.id },
            { $ref: null, value: c.id },
            { $ref: null, value: d.id },
          ],
        }),
      );
      expect(add.status).toBe(204);
      expect(await memberIds(id)).toEqual([a.id, b.id, c.id, d.id].sort());

      const removeOne = await scim.patch(`/Groups/${id}`, patchOp({ op: 'Remove', path: `members[value eq "${a.id}"]` }));
      expect(removeOne.status).toBe(204);
      const removeList = await scim.patch(
        `/Groups/${id}`,
        patchOp({ op: 'Remove', path: 'members', value: [{ value: b.id }, { value: c.id }] }),
      );
      expect(removeList.status).toBe(204);
      expect(await memberIds(id)).toEqual([d.id]);

      const rename = await scim.patch(`/Groups/${id}`, patchOp({ op: 'Replace', path: 'displayName', value: 'Eng' }));
      expect(rename.status).toBe(204);
      expect((await scim.get(`/Groups/${id}`)).body).toMatchObject({ displayName: 'Eng', members: [{ value: d.id }] });

      expect((await scim.delete(`/Groups/${id}`)).status).toBe(204);
      expect((await scim.get(`/Groups/${id}`)).status).toBe(404);
      expect((await scim.get(`/Users/${d.id}`)).status).toBe(200);
    });

    it('removes several members with or-ed value filters and ignores ids that are not members', async () => {
      const [a, b, c] = [await user(), await user(), await user()];
      const g = await group({ members: [a, b, c].map((u) => ({ value: u.id })) });
      const res = await scim.patch(
        `/Groups/${g.id}`,
        patchOp({
          op: 'remove',
          path: `members[value eq "${a.id}" or value eq "${b.id}" or value eq "00000000-0000-4000-8000-000000000000"]`,
        }),
      );
      expect(res.status).toBe(204);
      expect(await memberIds(g.id)).toEqual([c.id]);
    });
  });

  describe('Okta group push', () => {
    it('pages groups, creates, patches, renames with PUT and pushes a full member list with PUT', async () => {
      const [a, b, c] = [await user(), await user(), await user()];
      const first = await scim.get('/Groups?startIndex=1&count=100');
      expect(first.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

      const g = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Okta Team', members: [] })).body as { id: string };
      await scim.patch(
        `/Groups/${g.id}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: a.id, display: 'ignored' }, { value: b.id }] }),
      );
      await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: `members[value eq "${a.id}"]` }));
      expect(await memberIds(g.id)).toEqual([b.id]);

      const rename = await scim.put(`/Groups/${g.id}`, { schemas: [GROUP], id: g.id, displayName: 'Okta Team Renamed' });
      expect(rename.status).toBe(200);
      expect(rename.body.displayName).toBe('Okta Team Renamed');
      expect(await memberIds(g.id)).toEqual([b.id]);

      const push = await scim.put(`/Groups/${g.id}`, {
        schemas: [GROUP],
        displayName: 'Okta Team Renamed',
        members: [{ value: a.id }, { value: c.id }],
      });
      expect(push.status).toBe(200);
      expect(push.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a.id, c.id].sort());
      expect(await memberIds(g.id)).toEqual([a.id, c.id].sort());

      const listed = await scim.get('/Groups?startIndex=1&count=100');
      expect(listed.body.Resources[0].members).toHaveLength(2);

      const emptied = await scim.put(`/Groups/${g.id}`, { schemas: [GROUP], displayName: 'Okta Team Renamed', members: [] });
      expect(emptied.body).not.toHaveProperty('members');
      expect(await rows(g.id)).toBe(0);
    });
  });

  describe('PATCH forms on members', () => {
    it('OneLogin-style add and remove with a value list, remove all, replace the set, no-path replace', async () => {
      const [a, b, c] = [await user(), await user(), await user()];
      const g = await group();
      await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a.id }] }));
      await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }] }));
      expect(await memberIds(g.id)).toEqual([a.id, b.id].sort());

      await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: 'members', value: [{ value: b.id }, { value: c.id }] }));
      expect(await memberIds(g.id)).toEqual([b.id, c.id].sort());

      await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: 'members' }));
      expect(await rows(g.id)).toBe(0);

      const res = await scim.patch(
        `/Groups/${g.id}?excludedAttributes=members`,
        patchOp({ op: 'replace', value: { displayName: 'Renamed', members: [{ value: a.id }] } }),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: g.id, displayName: 'Renamed' });
      expect(res.body).not.toHaveProperty('members');
      expect(await memberIds(g.id)).toEqual([a.id]);
    });

    it('rejects member filters other than value eq, and bad member types', async () => {
      const g = await group();
      const byType = await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: 'members[type eq "User"]' }));
      expect(byType.status).toBe(400);
      expect(byType.body.scimType).toBe('invalidFilter');
      const badType = await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: 'x', type: 'Robot' }] }));
      expect(badType.status).toBe(400);
      expect(badType.body.scimType).toBe('invalidValue');
    });

    it('is atomic across data and member operations', async () => {
      const a = await user();
      const g = await group({ displayName: 'Before' });
      const res = await scim.patch(
        `/Groups/${g.id}`,
        patchOp(
          { op: 'replace', path: 'displayName', value: 'After' },
          { op: 'add', path: 'members', value: [{ value: a.id }] },
          { op: 'remove', path: 'displayName' },
        ),
      );
      expect(res.status).toBe(400);
      expect((await scim.get(`/Groups/${g.id}`)).body).toMatchObject({ displayName: 'Before', meta: { version: g.meta.version } });
      expect(await rows(g.id)).toBe(0);
    });
  });

  describe('unknown members and nesting', () => {
    it('never creates users from a group push: unknown ids are skipped by default', async () => {
      const a = await user();
      const g = await group();
      const ghost = '11111111-1111-4111-8111-111111111111';
      const res = await scim.patch(
        `/Groups/${g.id}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: a.id }, { value: ghost }, { value: 'bob@example.com' }] }),
      );
      expect(res.status).toBe(204);
      expect(await memberIds(g.id)).toEqual([a.id]);
      expect(await t.sql('SELECT id FROM users')).toHaveLength(1);
    });

    it('stores typed (Entra) and untyped (Okta) nested groups as group members, and rejects cycles', async () => {
      const parent = await group({ displayName: 'Parent' });
      const child = await group({ displayName: 'Child' });
      const grandchild = await group({ displayName: 'Grandchild' });
      expect(
        (await scim.patch(`/Groups/${parent.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: child.id, type: 'Group' }] })))
          .status,
      ).toBe(204);
      expect(
        (await scim.patch(`/Groups/${child.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: grandchild.id }] }))).status,
      ).toBe(204);
      expect((await scim.get(`/Groups/${parent.id}`)).body.members).toEqual([
        { value: child.id, type: 'Group', display: 'Child', $ref: expect.stringMatching(new RegExp(`/Groups/${child.id}$`)) },
      ]);
      expect(await t.sql('SELECT id FROM users')).toHaveLength(0);

      const cycle = await scim.patch(`/Groups/${grandchild.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: parent.id }] }));
      expect(cycle.status).toBe(400);
      expect(cycle.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('contain itself') });
      const self = await scim.patch(
        `/Groups/${parent.id}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: parent.id, type: 'Group' }] }),
      );
      expect(self.status).toBe(400);

      const wrongType = await scim.patch(
        `/Groups/${parent.id}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: grandchild.id, type: 'User' }] }),
      );
      expect(wrongType.status).toBe(204);
      expect(await memberIds(parent.id)).toEqual([child.id]);
    });
  });

  describe('derived user groups and filters', () => {
    it("lists a user's direct teams in the readOnly groups attribute and finds a team's members by groups.value", async () => {
      const [a, b] = [await user(), await user()];
      const g1 = await group({ displayName: 'Alpha', members: [{ value: a.id }] });
      const g2 = await group({ displayName: 'Beta', members: [{ value: a.id }, { value: b.id }] });
      const res = await scim.get(`/Users/${a.id}`);
      expect(res.body.groups).toEqual([
        { value: g1.id, display: 'Alpha', type: 'direct', $ref: expect.stringMatching(new RegExp(`/Groups/${g1.id}$`)) },
        { value: g2.id, display: 'Beta', type: 'direct', $ref: expect.stringMatching(new RegExp(`/Groups/${g2.id}$`)) },
      ]);
      expect((await scim.get(`/Users/${b.id}?excludedAttributes=groups`)).body).not.toHaveProperty('groups');

      const members = await scim.get(`/Users?${filterQuery(`groups.value eq "${g2.id}"`)}`);
      expect(members.body.Resources.map((r: { id: string }) => r.id).sort()).toEqual([a.id, b.id].sort());
      const alphaOnly = await scim.get(`/Users?${filterQuery(`groups[display eq "Alpha"]`)}`);
      expect(alphaOnly.body.Resources.map((r: { id: string }) => r.id)).toEqual([a.id]);
    });

    it.each([
      ['displayName eq "alpha"', ['Alpha']],
      ['externalId eq "ext-b"', ['Beta']],
      ['members.value eq "$A"', ['Alpha', 'Beta']],
      ['members[value eq "$B"]', ['Beta']],
      ['members[type eq "Group"]', ['Beta']],
      ['displayName sw "B" and members pr', ['Beta']],
      ['not (members pr)', ['Gamma']],
      ['members[display eq "Gamma"]', ['Beta']],
    ])('filters groups by %s', async (filter, expected) => {
      const [a, b] = [await user(), await user()];
      const gamma = await group({ displayName: 'Gamma' });
      await group({ displayName: 'Alpha', members: [{ value: a.id }] });
      await group({
        displayName: 'Beta',
        externalId: 'ext-b',
        members: [{ value: a.id }, { value: b.id }, { value: gamma.id, type: 'Group' }],
      });
      const res = await scim.get(`/Groups?${filterQuery(filter.replace('$A', a.id).replace('$B', b.id))}&excludedAttributes=members`);
      expect(res.status).toBe(200);
      expect(res.body.Resources.map((r: { displayName: string }) => r.displayName).sort()).toEqual(expected);
    });

    it('answers displayName lookups with excludedAttributes=members without reading the membership table', async () => {
      const g = await group({ displayName: 'Locked', members: [{ value: (await user()).id }] });
      const locker = new Client({ connectionString: process.env.DATABASE_URL });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE group_members IN ACCESS EXCLUSIVE MODE');
        const lookup = await scim.get(`/Groups?${filterQuery('displayName eq "Locked"')}&excludedAttributes=members`).timeout(3000);
        expect(lookup.body.Resources[0]).toMatchObject({ id: g.id, displayName: 'Locked' });
        const one = await scim.get(`/Groups/${g.id}?attributes=displayName`).timeout(3000);
        expect(one.body).toEqual({ schemas: [GROUP], id: g.id, displayName: 'Locked' });
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
    });
  });

  describe('deletes and versions', () => {
    it('deleting a group removes its memberships and leaves its users; deleting a user removes it from every team', async () => {
      const [a, b] = [await user(), await user()];
      const g1 = await group({ members: [{ value: a.id }, { value: b.id }] });
      const g2 = await group({ members: [{ value: a.id }] });
      expect((await scim.delete(`/Groups/${g1.id}`)).status).toBe(204);
      expect(await rows(g1.id)).toBe(0);
      expect((await scim.get(`/Users/${b.id}`)).status).toBe(200);

      const before = (await scim.get(`/Groups/${g2.id}`)).body.meta.version;
      expect((await scim.delete(`/Users/${a.id}`)).status).toBe(204);
      const after = await scim.get(`/Groups/${g2.id}`);
      expect(after.body).not.toHaveProperty('members');
      expect(after.body.meta.version).not.toBe(before);
    });

    it('bumps version and lastModified on every membership change, and not on a no-op', async () => {
      const a = await user();
      const g = await group();
      const v = async () => (await scim.get(`/Groups/${g.id}?attributes=meta`)).body.meta as { version: string; lastModified: string };
      const v0 = await v();
      const added = await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a.id }] }));
      const v1 = await v();
      expect(v1.version).not.toBe(v0.version);
      expect(added.headers.etag).toBe(v1.version);
      await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a.id }] }));
      expect((await v()).version).toBe(v1.version);
      await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: `members[value eq "${a.id}"]` }));
      expect((await v()).version).not.toBe(v1.version);
    });

    it("bumps a team's version when a member's display name changes, since members[].display changes", async () => {
      const a = await user({ displayName: 'Ann' });
      const g = await group({ members: [{ value: a.id }] });
      const before = await scim.get(`/Groups/${g.id}`);
      const etag = before.headers.etag as string;
      await scim.patch(`/Users/${a.id}`, patchOp({ op: 'replace', path: 'title', value: 'Lead' }));
      expect((await scim.get(`/Groups/${g.id}`).set('If-None-Match', etag)).status).toBe(304);
      await scim.patch(`/Users/${a.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Annie' }));
      const after = await scim.get(`/Groups/${g.id}`).set('If-None-Match', etag);
      expect(after.status).toBe(200);
      expect(after.body.members).toEqual([expect.objectContaining({ value: a.id, display: 'Annie' })]);
      expect(after.headers.etag).not.toBe(etag);

      // The same for a nested team renamed.
      const child = await group({ displayName: 'Child' });
      await scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: child.id, type: 'Group' }] }));
      const parentTag = (await scim.get(`/Groups/${g.id}`)).headers.etag as string;
      await scim.patch(`/Groups/${child.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Child renamed' }));
      const parent = await scim.get(`/Groups/${g.id}`).set('If-None-Match', parentTag);
      expect(parent.status).toBe(200);
      expect(parent.body.members).toContainEqual(expect.objectContaining({ value: child.id, display: 'Child renamed' }));
    });

    it('lets member renames and team PATCHes naming those members run concurrently without deadlock errors', async () => {
      // A rename locks the user, then bumps its teams; a team PATCH locks the team, then checks each member it names.
      const users = await Promise.all(Array.from({ length: 16 }, (_, i) => user({ displayName: `U${i}` })));
      const members = users.map((u) => ({ value: u.id }));
      const teams = [await group({ displayName: 'T0', members }), await group({ displayName: 'T1', members })];
      const results = await Promise.all(
        users.flatMap((u, i) => [
          scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'displayName', value: `Renamed ${i}` })),
          ...teams.map((tm) => scim.patch(`/Groups/${tm.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] }))),
        ]),
      );
      expect(results.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
      const team = (await scim.get(`/Groups/${teams[0]?.id}`)).body as { members: { display: string }[] };
      expect(team.members.map((m) => m.display).sort()).toEqual(users.map((_, i) => `Renamed ${i}`).sort());
    });
  });

  describe('concurrency', () => {
    it('keeps all 50 concurrent adds of different users to one team', async () => {
      const g = await group();
      const users = await Promise.all(Array.from({ length: 50 }, () => user()));
      const results = await Promise.all(
        users.map((u) => scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] }))),
      );
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(204));
      expect(await rows(g.id)).toBe(50);
    });

    it('stores one row for 50 concurrent duplicate adds, without errors', async () => {
      const [g, u] = [await group(), await user()];
      const results = await Promise.all(
        Array.from({ length: 50 }, () => scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] }))),
      );
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(204));
      expect(await rows(g.id)).toBe(1);
    });

    it('survives users being deleted while they are added to a team (no 5xx, no dangling membership)', async () => {
      const g = await group();
      const users = await Promise.all(Array.from({ length: 20 }, () => user()));
      const results = await Promise.all(
        users.flatMap((u) => [
          scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] })),
          scim.delete(`/Users/${u.id}`),
        ]),
      );
      expect(results.filter((r) => r.status >= 500)).toEqual([]);
      expect(await rows(g.id)).toBe(0);
      expect(await t.sql('SELECT 1 FROM users')).toHaveLength(0);
    });

    it('loses neither a concurrent rename nor a concurrent member add', async () => {
      const [g, u] = [await group({ displayName: 'Old' }), await user()];
      const [rename, add] = await Promise.all([
        scim.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'New' })),
        scim.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] })),
      ]);
      expect([rename.status, add.status]).toEqual([204, 204]);
      expect((await scim.get(`/Groups/${g.id}`)).body).toMatchObject({ displayName: 'New', members: [{ value: u.id }] });
    });
  });

  it('streams a large team in full, in member id order, across batches (10,000 per query)', async () => {
    const g = await group();
    await t.sql(
      `INSERT INTO users (user_name, role, data) SELECT 'm' || i || '@x.io', 'viewer', jsonb_build_object('userName', 'm' || i || '@x.io') FROM generate_series(1, 12000) i`,
    );
    await t.sql(`INSERT INTO group_members (group_id, user_id) SELECT $1, id FROM users`, [g.id]);
    const res = await scim.get(`/Groups/${g.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    const ids = (res.body.members as { value: string; display: string }[]).map((m) => m.value);
    expect(ids).toHaveLength(12000);
    expect(new Set(ids).size).toBe(12000);
    expect([...ids].sort()).toEqual(ids);
    expect(res.body.members[0].display).toMatch(/^m\d+@x\.io$/);
    const valuesOnly = await scim.get(`/Groups/${g.id}?attributes=members.value`);
    expect(valuesOnly.body.members).toHaveLength(12000);
    expect(valuesOnly.body.members[0]).toEqual({ value: ids[0] });
    expect(valuesOnly.body).not.toHaveProperty('displayName');
  });

  it('streams a list page whose teams hold more than 10,000 members between them, team by team', async () => {
    const [a, b, small] = [await group({ displayName: 'A' }), await group({ displayName: 'B' }), await group({ displayName: 'C' })];
    await t.sql(
      `INSERT INTO users (user_name, role, data) SELECT 'l' || i || '@x.io', 'viewer', jsonb_build_object('userName', 'l' || i || '@x.io') FROM generate_series(1, 12000) i`,
    );
    await t.sql(
      `INSERT INTO group_members (group_id, user_id) SELECT CASE WHEN n % 2 = 0 THEN $1::uuid ELSE $2::uuid END, id FROM (SELECT id, row_number() OVER () AS n FROM users) u`,
      [a.id, b.id],
    );
    const res = await scim.get('/Groups?startIndex=1&count=100');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(res.body).toMatchObject({ schemas: [LIST], totalResults: 3, itemsPerPage: 3, startIndex: 1 });
    const byName = new Map((res.body.Resources as { displayName: string; members?: unknown[] }[]).map((g) => [g.displayName, g]));
    expect(byName.get('A')?.members).toHaveLength(6000);
    expect(byName.get('B')?.members).toHaveLength(6000);
    expect(byName.get('C')).not.toHaveProperty('members');
    expect(byName.get('A')?.members?.[0]).toEqual(
      expect.objectContaining({ value: expect.any(String), display: expect.stringMatching(/@x\.io$/) }),
    );
    const values = await scim.get(
      `/Groups?${filterQuery(`id eq "${b.id}" or id eq "${a.id}" or id eq "${small.id}"`)}&attributes=members.value`,
    );
    expect(values.body.Resources.map((g: { members?: unknown[] }) => g.members?.length ?? 0).sort()).toEqual([0, 6000, 6000]);
    expect(values.body.Resources[0]).not.toHaveProperty('displayName');
  });

  it('advertises the Group endpoint through POST /Groups/.search too', async () => {
    const g = await group({ displayName: 'Searchable' });
    const res = await scim.post('/Groups/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'displayName eq "Searchable"',
      excludedAttributes: ['members'],
    });
    expect(res.body).toMatchObject({ totalResults: 1, Resources: [{ id: g.id }] });
  });
});
