import request from 'supertest';
import { createTestApp, TestApp } from '../support/app';
import { admin } from '../support/keys';
import { makeGroup, makeUser, patchOp, scimClient, USER, USER_SETTINGS } from '../support/scim';

type Client = ReturnType<typeof scimClient>;
type Resource = { id: string; meta: { version: string }; groups?: { value: string; display?: string }[] };

const GHOST = '33333333-3333-4333-8333-333333333333';

const teamIds = (u: Resource) => (u.groups ?? []).map((g) => g.value).sort();
const memberIds = async (t: TestApp, groupId: string) =>
  (await t.sql<{ id: string }>('SELECT member_id::text AS id FROM group_members WHERE group_id = $1 ORDER BY 1', [groupId])).map(
    (r) => r.id,
  );
const teamsOf = async (t: TestApp, userId: string) =>
  (await t.sql<{ id: string }>('SELECT group_id::text AS id FROM group_members WHERE user_id = $1 ORDER BY 1', [userId])).map((r) => r.id);
/** The user's audit records, newest first, as GET /admin/audit shows them. */
const auditSummaries = async (t: TestApp, userId: string) =>
  ((await request(t.http).get(`/admin/audit?resourceId=${userId}`).set(admin)).body as { records: { summary: unknown }[] }).records.map(
    (r) => r.summary,
  );

/** LiteLLM's README example "Adding a User to Groups", with its team id in place of "team-123". */
const liteLlmPut = (userName: string, teamId: string) => ({
  schemas: [USER],
  userName,
  active: true,
  emails: [{ value: userName, primary: true }],
  groups: [{ value: teamId, display: 'Engineering Team' }],
});

async function setup(t: TestApp) {
  const client = scimClient(t, await t.token());
  const team = async (name: string) => (await client.post('/Groups', makeGroup({ displayName: name }))).body as Resource;
  return { client, team };
}

async function createUser(client: Client, o: Record<string, unknown> = {}): Promise<Resource> {
  const res = await client.post('/Users', makeUser(o));
  expect(res.status).toBe(201);
  return res.body as Resource;
}

describe('A user\'s teams through "groups", with SCIM_USER_GROUPS_WRITABLE off (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it('POST /Users with groups puts the new user into each team, bumping the teams, and records it', async () => {
    const { client, team } = await setup(t);
    const [a, b] = [await team('Engineering'), await team('Research')];
    const u = await createUser(client, {
      groups: [{ value: a.id, display: 'Engineering', $ref: `https://x.example/scim/v2/Groups/${a.id}` }, { value: b.id.toUpperCase() }],
    });
    expect(teamIds(u)).toEqual([a.id, b.id].sort());
    expect(u.groups).toContainEqual(expect.objectContaining({ value: a.id, display: 'Engineering' }));
    expect(await memberIds(t, a.id)).toEqual([u.id]);
    const a2 = (await client.get(`/Groups/${a.id}`)).body as Resource & { members: { value: string }[] };
    expect(a2.meta.version).not.toBe(a.meta.version);
    expect(a2.members.map((m) => m.value)).toEqual([u.id]);
    expect(teamIds((await client.get(`/Users/${u.id}`)).body as Resource)).toEqual([a.id, b.id].sort());
    expect(await auditSummaries(t, u.id)).toEqual([expect.objectContaining({ op: 'create', teamsJoined: 2 })]);
  });

  it('POST /Users with "groups": [] or null (Okta) creates the user in no team', async () => {
    const { client, team } = await setup(t);
    await team('Engineering');
    for (const groups of [[], null]) {
      const u = await createUser(client, { groups });
      expect(u.groups ?? []).toEqual([]);
      expect(await teamsOf(t, u.id)).toEqual([]);
    }
  });

  it('POST /Users skips an unknown team id with SCIM_UNKNOWN_MEMBERS=ignore, and joins the known ones', async () => {
    const { client, team } = await setup(t);
    const a = await team('Engineering');
    const u = await createUser(client, { groups: [{ value: GHOST }, { value: 'team-123' }, { value: a.id }] });
    expect(teamIds(u)).toEqual([a.id]);
  });

  it('POST /Users rejects a group entry without "value" with 400, creating nothing', async () => {
    const { client } = await setup(t);
    const res = await client.post('/Users', makeUser({ userName: 'novalue@example.com', groups: [{ display: 'Engineering' }] }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('"value"') });
    expect(await t.sql('SELECT 1 FROM users')).toHaveLength(0);
  });

  it("ignores LiteLLM's PUT with groups, as RFC 7643 §4.1.2 reads groups (readOnly): the user's teams stay", async () => {
    const { client, team } = await setup(t);
    const [a, b] = [await team('Engineering'), await team('Research')];
    const u = await createUser(client, { userName: 'john.doe@example.com', groups: [{ value: b.id }] });
    const res = await client.put(`/Users/${u.id}`, liteLlmPut('john.doe@example.com', a.id));
    expect(res.status).toBe(200);
    expect(teamIds(res.body as Resource)).toEqual([b.id]);
    expect(await memberIds(t, a.id)).toEqual([]);
  });

  it('refuses a PATCH of groups with 400 mutability, changing nothing', async () => {
    const { client, team } = await setup(t);
    const a = await team('Engineering');
    const u = await createUser(client);
    const res = await client.patch(`/Users/${u.id}`, patchOp({ op: 'add', path: 'groups', value: [{ value: a.id }] }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ scimType: 'mutability', detail: expect.stringContaining('groups') });
    expect(await teamsOf(t, u.id)).toEqual([]);
  });
});

describe('User metadata: the llmgateway User extension', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  const metadataOf = (r: { body: Record<string, { metadata?: unknown } | undefined> }) => r.body[USER_SETTINGS]?.metadata;

  it('round-trips through POST, GET, PUT (kept when omitted) and PATCH (add merges, replace is verbatim)', async () => {
    const { client } = await setup(t);
    const metadata = { budget: { monthlyUsd: 250 }, allowedModels: ['gpt-5', 'claude'], note: null };
    const u = await createUser(client, { schemas: [USER, USER_SETTINGS], [USER_SETTINGS]: { metadata } });
    expect(metadataOf({ body: u as never })).toEqual(metadata);
    expect(metadataOf(await client.get(`/Users/${u.id}`))).toEqual(metadata);

    // An IdP that only knows the core schema PUTs without the extension: the settings stay.
    const put = await client.put(`/Users/${u.id}`, makeUser({ userName: 'renamed@example.com' }));
    expect(put.status).toBe(200);
    expect(metadataOf(put)).toEqual(metadata);
    expect(put.body.schemas).toContain(USER_SETTINGS);

    const add = await client.patch(
      `/Users/${u.id}`,
      patchOp({ op: 'add', path: `${USER_SETTINGS}:metadata`, value: { budget: { monthlyUsd: 500 }, team: 'ml' } }),
    );
    expect(add.status).toBe(200);
    expect(metadataOf(add)).toEqual({ ...metadata, budget: { monthlyUsd: 500 }, team: 'ml' });

    const replace = await client.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: `${USER_SETTINGS}:metadata`, value: { only: 1 } }));
    expect(metadataOf(replace)).toEqual({ only: 1 });

    // Naming the extension with null removes it.
    const cleared = await client.put(`/Users/${u.id}`, { ...makeUser({ userName: 'renamed@example.com' }), [USER_SETTINGS]: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body[USER_SETTINGS]).toBeUndefined();
  });

  it('refuses metadata over 64 KiB with 400 invalidValue naming the attribute, keeping what was stored', async () => {
    const { client } = await setup(t);
    const u = await createUser(client, { [USER_SETTINGS]: { metadata: { a: 1 } } });
    const big = { blob: 'x'.repeat(70_000) };
    const post = await client.post('/Users', makeUser({ [USER_SETTINGS]: { metadata: big } }));
    expect(post.status).toBe(400);
    expect(post.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining(`${USER_SETTINGS}:metadata`) });
    const patch = await client.patch(`/Users/${u.id}`, patchOp({ op: 'add', path: `${USER_SETTINGS}:metadata`, value: big }));
    expect(patch.status).toBe(400);
    expect(metadataOf(await client.get(`/Users/${u.id}`))).toEqual({ a: 1 });
  });
});

describe('A user\'s teams through "groups", with SCIM_USER_GROUPS_WRITABLE=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SCIM_USER_GROUPS_WRITABLE: 'true' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it("LiteLLM's PUT sets the user's direct teams to exactly its list, bumping the user and both teams", async () => {
    const { client, team } = await setup(t);
    const [a, b] = [await team('Engineering'), await team('Research')];
    const u = await createUser(client, { userName: 'john.doe@example.com', groups: [{ value: b.id }] });
    const bBefore = (await client.get(`/Groups/${b.id}`)).body as Resource;
    const res = await client.put(`/Users/${u.id}`, liteLlmPut('john.doe@example.com', a.id));
    expect(res.status).toBe(200);
    expect(teamIds(res.body as Resource)).toEqual([a.id]);
    expect(res.headers.etag).not.toBe(`W/"${u.meta.version}"`);
    expect((res.body as Resource).meta.version).not.toBe(u.meta.version);
    expect(await memberIds(t, a.id)).toEqual([u.id]);
    expect(await memberIds(t, b.id)).toEqual([]);
    expect(((await client.get(`/Groups/${b.id}`)).body as Resource).meta.version).not.toBe(bBefore.meta.version);
    expect((await auditSummaries(t, u.id))[0]).toMatchObject({
      op: 'replace',
      attributes: expect.arrayContaining(['groups']),
      teamsJoined: 1,
      teamsLeft: 1,
    });

    // A PUT without groups leaves the teams; "groups": [] empties them.
    const { groups: _g, ...withoutGroups } = liteLlmPut('john.doe@example.com', a.id);
    expect(teamIds((await client.put(`/Users/${u.id}`, withoutGroups)).body as Resource)).toEqual([a.id]);
    expect(teamIds((await client.put(`/Users/${u.id}`, { ...withoutGroups, groups: [] })).body as Resource)).toEqual([]);
  });

  it('a PUT with the teams the user already has writes nothing and keeps the version', async () => {
    const { client, team } = await setup(t);
    const a = await team('Engineering');
    const body = liteLlmPut('same@example.com', a.id);
    const u = (await client.post('/Users', body)).body as Resource;
    const res = await client.put(`/Users/${u.id}`, body);
    expect(res.status).toBe(200);
    expect((res.body as Resource).meta.version).toBe(u.meta.version);
  });

  it('PATCH add, remove (also by filter) and replace on groups change memberships as member operations would', async () => {
    const { client, team } = await setup(t);
    const [a, b, c] = [await team('A'), await team('B'), await team('C')];
    const u = await createUser(client);
    const patch = async (...ops: object[]) => {
      const res = await client.patch(`/Users/${u.id}`, patchOp(...ops));
      expect(res.status).toBe(200);
      return teamIds(res.body as Resource);
    };
    expect(await patch({ op: 'add', path: 'groups', value: [{ value: a.id }, { value: b.id }] })).toEqual([a.id, b.id].sort());
    expect(await patch({ op: 'remove', path: `groups[value eq "${a.id}"]` })).toEqual([b.id]);
    expect(await patch({ op: 'add', value: { groups: [{ value: c.id }] } })).toEqual([b.id, c.id].sort());
    expect(await patch({ op: 'remove', path: 'groups', value: [{ value: b.id }] })).toEqual([c.id]);
    expect(await patch({ op: 'replace', path: 'groups', value: [{ value: a.id }] })).toEqual([a.id]);
    expect(await patch({ op: 'remove', path: 'groups' })).toEqual([]);
    expect(await memberIds(t, a.id)).toEqual([]);
    // Together with another attribute, in one request: both or neither.
    const both = await client.patch(
      `/Users/${u.id}`,
      patchOp({ op: 'add', path: 'groups', value: [{ value: b.id }] }, { op: 'replace', path: 'displayName', value: 'Both' }),
    );
    expect(both.body).toMatchObject({ displayName: 'Both', groups: [expect.objectContaining({ value: b.id })] });
  });

  it('a write that fails in the database after its groups changed leaves the teams as they were (one transaction)', async () => {
    const { client, team } = await setup(t);
    const a = await team('A');
    await createUser(client, { userName: 'taken@example.com' });
    const u = await createUser(client);
    const res = await client.patch(
      `/Users/${u.id}`,
      patchOp({ op: 'add', path: 'groups', value: [{ value: a.id }] }, { op: 'replace', path: 'userName', value: 'TAKEN@example.com' }),
    );
    expect(res.status).toBe(409);
    expect(await teamsOf(t, u.id)).toEqual([]);
    expect(((await client.get(`/Users/${u.id}`)).body as Resource).meta.version).toBe(u.meta.version);
  });

  it('skips unknown team ids with SCIM_UNKNOWN_MEMBERS=ignore', async () => {
    const { client, team } = await setup(t);
    const a = await team('A');
    const u = await createUser(client);
    const res = await client.patch(`/Users/${u.id}`, patchOp({ op: 'add', path: 'groups', value: [{ value: GHOST }, { value: a.id }] }));
    expect(res.status).toBe(200);
    expect(teamIds(res.body as Resource)).toEqual([a.id]);
    // A user id is no team either.
    const other = await createUser(client);
    const put = await client.put(`/Users/${u.id}`, { ...makeUser(), groups: [{ value: other.id }] });
    expect(teamIds(put.body as Resource)).toEqual([]);
  });

  it('a team PATCH and user PUTs racing over the same teams lose no update and never fail', async () => {
    const { client, team } = await setup(t);
    const teams = [await team('R1'), await team('R2'), await team('R3')];
    const users = await Promise.all(Array.from({ length: 8 }, () => createUser(client)));
    const extras = await Promise.all(Array.from({ length: 8 }, () => createUser(client)));
    // Each user PUT sets its user's teams to all three while team PATCHes add other users to the same teams.
    const results = await Promise.all([
      ...users.map((u) => client.put(`/Users/${u.id}`, { ...makeUser(), groups: teams.map((g) => ({ value: g.id })) })),
      ...extras.map((x, i) =>
        client.patch(`/Groups/${teams[i % 3].id}`, patchOp({ op: 'add', path: 'members', value: [{ value: x.id }] })),
      ),
    ]);
    expect(results.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
    for (const [i, g] of teams.entries()) {
      const expected = [...users.map((u) => u.id), ...extras.filter((_, j) => j % 3 === i).map((x) => x.id)].sort();
      expect(await memberIds(t, g.id)).toEqual(expected);
    }
  });
});

describe("A user's teams with SCIM_UNKNOWN_MEMBERS=reject", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SCIM_USER_GROUPS_WRITABLE: 'true', SCIM_UNKNOWN_MEMBERS: 'reject' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it('POST with an unknown team id is a 400 naming it, and creates no user (one transaction)', async () => {
    const { client, team } = await setup(t);
    const a = await team('A');
    const res = await client.post('/Users', makeUser({ userName: 'rejected@example.com', groups: [{ value: a.id }, { value: GHOST }] }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining(GHOST) });
    expect(await t.sql(`SELECT 1 FROM users WHERE user_name = 'rejected@example.com'`)).toHaveLength(0);
    expect(await memberIds(t, a.id)).toEqual([]);
  });

  it('PUT and PATCH with an unknown team id are a 400, changing neither the user nor its teams', async () => {
    const { client, team } = await setup(t);
    const a = await team('A');
    const u = await createUser(client, { displayName: 'Before', groups: [{ value: a.id }] });
    const put = await client.put(`/Users/${u.id}`, { ...makeUser({ displayName: 'After' }), groups: [{ value: 'team-123' }] });
    expect(put.status).toBe(400);
    expect(put.body.detail).toContain('team-123');
    const patch = await client.patch(
      `/Users/${u.id}`,
      patchOp({ op: 'replace', path: 'displayName', value: 'After' }, { op: 'replace', path: 'groups', value: [{ value: GHOST }] }),
    );
    expect(patch.status).toBe(400);
    const now = (await client.get(`/Users/${u.id}`)).body as Resource & { displayName: string };
    expect([now.displayName, teamIds(now), now.meta.version]).toEqual(['Before', [a.id], u.meta.version]);
  });
});
