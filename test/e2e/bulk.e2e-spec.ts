import request from 'supertest';
import circular from '../fixtures/rfc7644-3.7.1-circular.json';
import bulkIds from '../fixtures/rfc7644-3.7.2-bulk.json';
import multiple from '../fixtures/rfc7644-3.7.3-bulk.json';
import { createTestApp, TestApp } from '../support/app';
import { ENTERPRISE, ERROR, makeGroup, makeUser, PATCH_OP, patchOp, SCIM_JSON, scimClient, USER } from '../support/scim';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const BASE = 'https://scim.example.com/scim/v2';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

interface Result {
  method?: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: { schemas: string[]; status: string; scimType?: string; detail: string };
}

const bulkOf = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [BULK_REQUEST], Operations, ...extra });
const postUser = (bulkId: string | undefined, o: Record<string, unknown> = {}) => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: makeUser(o),
});
const postGroup = (bulkId: string | undefined, o: Record<string, unknown> = {}) => ({
  method: 'POST',
  path: '/Groups',
  bulkId,
  data: makeGroup(o),
});
const addMembers = (path: string, ...values: string[]) => ({
  method: 'PATCH',
  path,
  data: patchOp({ op: 'add', path: 'members', value: values.map((value) => ({ value })) }),
});
const ref = (bulkId: string) => `bulkId:${bulkId}`;
const idOf = (r: Result) => r.location?.split('/').pop() as string;

describe('/scim/v2/Bulk (RFC 7644 §3.7)', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    t = await createTestApp({
      PUBLIC_BASE_URL: 'https://scim.example.com',
      BODY_LIMIT: '8kb',
      BULK_MAX_OPERATIONS: '300',
      BULK_MAX_PAYLOAD: '256kb',
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    scim = scimClient(t, await t.token());
  });

  const bulk = async (body: unknown, status = 200) => {
    const res = await scim.post('/Bulk', body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe(SCIM_JSON);
    if (status === 200) {
      expect(res.body.schemas).toEqual([BULK_RESPONSE]);
    }
    return res.body as { Operations: Result[] } & Record<string, unknown>;
  };
  const statuses = (body: { Operations: Result[] }) => body.Operations.map((r) => r.status);
  const user = async (o: Record<string, unknown> = {}) => {
    const res = await scim.post('/Users', makeUser(o));
    expect(res.status).toBe(201);
    return res.body as { id: string; userName: string; meta: { version: string } } & Record<string, unknown>;
  };
  const group = async (o: Record<string, unknown> = {}) => {
    const res = await scim.post('/Groups', makeGroup(o));
    expect(res.status).toBe(201);
    return res.body as { id: string; meta: { version: string } };
  };
  /** A user under a chosen id, such as the RFC examples' ids. */
  const userWithId = async (id: string, o: Record<string, unknown> = {}) => {
    const created = await user(o);
    await t.sql('UPDATE users SET id = $1 WHERE id = $2', [id, created.id]);
    return (await scim.get(`/Users/${id}`)).body as { id: string; meta: { version: string } } & Record<string, unknown>;
  };
  const memberIds = async (groupId: string) =>
    ((await scim.get(`/Groups/${groupId}`)).body.members ?? []).map((m: { value: string }) => m.value).sort() as string[];
  const count = async (table: 'users' | 'groups') => Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

  describe('the RFC 7644 examples', () => {
    it('§3.7.2: creates a user and a team with that user as a member, through a bulkId', async () => {
      const res = await bulk(bulkIds.members.request);
      expect(res.Operations).toEqual([
        { method: 'POST', bulkId: 'qwerty', version: 'W/"1"', location: expect.stringMatching(`^${BASE}/Users/${UUID}$`), status: '201' },
        {
          method: 'POST',
          bulkId: 'ytrewq',
          version: expect.any(String),
          location: expect.stringMatching(`^${BASE}/Groups/${UUID}$`),
          status: '201',
        },
      ]);
      const [alice, guides] = res.Operations as [Result, Result];
      const got = await scim.get(`/Groups/${idOf(guides)}`);
      expect(got.body).toMatchObject({ displayName: 'Tour Guides', members: [{ value: idOf(alice), type: 'User' }] });
      expect(got.headers.etag).toBe(guides.version);
      expect((await scim.get(`/Users/${idOf(alice)}`)).body.groups).toEqual([expect.objectContaining({ value: idOf(guides) })]);
    });

    it('§3.7.2: resolves a bulkId in the enterprise manager of another user', async () => {
      const [alice, bob] = (await bulk(bulkIds.manager.request)).Operations as [Result, Result];
      expect([alice.status, bob.status]).toEqual(['201', '201']);
      expect((await scim.get(`/Users/${idOf(bob)}`)).body[ENTERPRISE]).toMatchObject({
        employeeNumber: '11250',
        manager: { value: idOf(alice) },
      });
    });

    it('§3.7.3: runs POST, PUT, PATCH and DELETE with their versions, answering each as its single request would', async () => {
      const [, put, patch, del] = multiple.request.Operations as [unknown, { path: string }, { path: string }, { path: string }];
      const ids = [put, patch, del].map((op) => op.path.split('/')[2] as string);
      const current = await Promise.all(ids.map((id, i) => userWithId(id, { userName: `seed${i}`, nickName: 'Babs' })));
      const body = structuredClone(multiple.request) as { Operations: { version?: string }[] };
      current.forEach((u, i) => ((body.Operations[i + 1] as { version?: string }).version = u.meta.version));

      const res = await bulk(body);
      const expected = multiple.response.Operations.map((r) => ({
        ...r,
        location: r.location.replace('https://example.com/v2', BASE),
        ...(r.version ? { version: expect.stringMatching(/^W\/"/) } : {}),
      }));
      expected[0]!.location = expect.stringMatching(`^${BASE}/Users/${UUID}$`);
      expect(res.Operations).toEqual(expected);
      const [alice, bob, dave] = res.Operations as [Result, Result, Result];
      expect((await scim.get(`/Users/${idOf(alice)}`)).body.userName).toBe('Alice');
      const [gotBob, gotDave, gone] = await Promise.all(ids.map((id) => scim.get(`/Users/${id}`)));
      expect(gotBob!.body).toMatchObject({ userName: 'Bob' });
      expect(gotBob!.headers.etag).toBe(bob.version);
      expect(gotDave!.body).toMatchObject({ userName: 'Dave' });
      expect(gotDave!.body.nickName).toBeUndefined();
      expect(gotDave!.headers.etag).toBe(dave.version);
      expect(gone!.status).toBe(404);
    });

    it('§3.7.3: with failOnErrors 1 stops after the first failure (a stale version: 412) and reports nothing after it', async () => {
      const [, put, patch, del] = multiple.request.Operations as [unknown, { path: string }, { path: string }, { path: string }];
      const ids = [put, patch, del].map((op) => op.path.split('/')[2] as string);
      await Promise.all(ids.map((id, i) => userWithId(id, { userName: `seed${i}`, nickName: 'Babs' })));

      const res = await bulk(multiple.request);
      expect(res.Operations).toEqual([
        expect.objectContaining({ method: 'POST', bulkId: 'qwerty', status: '201' }),
        {
          method: 'PUT',
          location: `${BASE}/Users/${ids[0]}`,
          status: '412',
          response: { schemas: [ERROR], status: '412', detail: expect.stringContaining('has changed') },
        },
      ]);
      expect((await scim.get(`/Users/${ids[1]}`)).body).toMatchObject({ userName: 'seed1', nickName: 'Babs' });
      expect((await scim.get(`/Users/${ids[2]}`)).status).toBe(200);
    });

    it('§3.7.3: without failOnErrors runs every operation, and every failed one but the POST keeps its location', async () => {
      await user({ userName: 'alice' });
      const [, put, patch] = multiple.request.Operations as [unknown, { path: string }, { path: string }];
      await Promise.all([put, patch].map((op, i) => userWithId(op.path.split('/')[2] as string, { userName: `seed${i}` })));
      const body = { ...multiple.request, failOnErrors: undefined };

      const res = await bulk(body);
      expect(res.Operations).toEqual([
        { method: 'POST', bulkId: 'qwerty', status: '409', response: expect.objectContaining({ status: '409', scimType: 'uniqueness' }) },
        expect.objectContaining({ method: 'PUT', location: `${BASE}${put.path}`, status: '412' }),
        expect.objectContaining({ method: 'PATCH', location: `${BASE}${patch.path}`, status: '412' }),
        {
          method: 'DELETE',
          location: `${BASE}/Users/e9025315-6bea-44e1-899c-1e07454e468b`,
          status: '404',
          response: { schemas: [ERROR], status: '404', detail: 'User e9025315-6bea-44e1-899c-1e07454e468b not found' },
        },
      ]);
    });

    it('§3.7.1: answers 409 for both groups of a circular reference at once, and creates neither', async () => {
      const started = Date.now();
      const res = await bulk(circular.request);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.Operations).toEqual([
        {
          method: 'POST',
          bulkId: 'qwerty',
          status: '409',
          response: {
            schemas: [ERROR],
            status: '409',
            detail: expect.stringMatching(/"bulkId:ytrewq" cannot be resolved.*circle.*§3\.7\.1/),
          },
        },
        {
          method: 'POST',
          bulkId: 'ytrewq',
          status: '409',
          response: { schemas: [ERROR], status: '409', detail: expect.stringMatching(/"bulkId:qwerty" cannot be resolved/) },
        },
      ]);
      expect(await count('groups')).toBe(0);
    });
  });

  it('creates a team whose members are users created both before and after it in the same request', async () => {
    const res = await bulk(
      bulkOf([
        postUser('early', { userName: 'early@example.com' }),
        postGroup('team', { displayName: 'Platform', members: [{ value: ref('early') }, { value: ref('late'), type: 'User' }] }),
        addMembers(`/Groups/${ref('team')}`, ref('later')),
        postUser('late', { userName: 'late@example.com' }),
        { method: 'PATCH', path: `/users/${ref('later')}`, data: patchOp({ op: 'replace', path: 'title', value: 'Engineer' }) },
        postUser('later', { userName: 'later@example.com' }),
      ]),
    );
    expect(res.Operations.map((r) => [r.method, r.bulkId, r.status])).toEqual([
      ['POST', 'early', '201'],
      ['POST', 'team', '201'],
      ['PATCH', undefined, '204'],
      ['POST', 'late', '201'],
      ['PATCH', undefined, '200'],
      ['POST', 'later', '201'],
    ]);
    const [early, team, addLater, late, titled, later] = res.Operations as Result[] as [Result, Result, Result, Result, Result, Result];
    expect(addLater.location).toBe(team.location);
    expect(titled.location).toBe(later.location);
    expect(await memberIds(idOf(team))).toEqual([idOf(early), idOf(late), idOf(later)].sort());
    expect((await scim.get(`/Users/${idOf(later)}`)).body.title).toBe('Engineer');
  });

  it('answers 409 for an unknown bulkId and for one whose POST failed; the other operations run', async () => {
    await user({ userName: 'taken@example.com' });
    const res = await bulk(
      bulkOf([
        postGroup('g1', { members: [{ value: ref('nobody') }] }),
        postUser('dup', { userName: 'taken@example.com' }),
        postGroup('g2', { members: [{ value: ref('dup') }] }),
        { method: 'DELETE', path: `/Users/${ref('ghost')}` },
        postUser('ok'),
      ]),
    );
    expect(res.Operations).toEqual([
      expect.objectContaining({
        bulkId: 'g1',
        status: '409',
        response: expect.objectContaining({ detail: expect.stringMatching(/"bulkId:nobody".*no POST/) }),
      }),
      expect.objectContaining({ bulkId: 'dup', status: '409', response: expect.objectContaining({ scimType: 'uniqueness' }) }),
      expect.objectContaining({
        bulkId: 'g2',
        status: '409',
        response: expect.objectContaining({ detail: expect.stringMatching(/"bulkId:dup".*did not succeed/) }),
      }),
      expect.objectContaining({ method: 'DELETE', location: `${BASE}/Users/bulkId:ghost`, status: '409' }),
      expect.objectContaining({ bulkId: 'ok', status: '201' }),
    ]);
    expect(await count('groups')).toBe(0);
  });

  it('answers 409 for a longer cycle and what depends on it, never hanging, and runs the rest', async () => {
    const res = await bulk(
      bulkOf([
        postGroup('a', { members: [{ value: ref('b'), type: 'Group' }] }),
        postGroup('b', { members: [{ value: ref('c'), type: 'Group' }] }),
        postGroup('c', { members: [{ value: ref('a'), type: 'Group' }] }),
        addMembers(`/Groups/${ref('a')}`, ref('u')),
        postGroup('self', { members: [{ value: ref('self') }] }),
        postUser('u'),
      ]),
    );
    expect(statuses(res)).toEqual(['409', '409', '409', '409', '409', '201']);
    expect(res.Operations[3]?.response?.detail).toMatch(/"bulkId:a".*did not succeed/);
    expect(res.Operations[4]?.response?.detail).toMatch(/"bulkId:self".*circle/);
    expect(await count('groups')).toBe(0);
  });

  it('stops after failOnErrors failures: what comes after is neither run nor reported', async () => {
    const res = await bulk(
      bulkOf(
        [
          postUser('bad1', { userName: undefined }),
          postUser('good1'),
          { method: 'DELETE', path: '/Groups/00000000-0000-4000-8000-000000000000' },
          postUser('good2'),
          postUser('good3'),
        ],
        { failOnErrors: 2 },
      ),
    );
    expect(res.Operations.map((r) => [r.bulkId ?? r.method, r.status])).toEqual([
      ['bad1', '400'],
      ['good1', '201'],
      ['DELETE', '404'],
    ]);
    expect(await count('users')).toBe(1);
  });

  it("applies each operation's version as its If-Match: 412 for that operation only", async () => {
    const a = await user();
    const b = await user();
    await scim.patch(`/Users/${a.id}`, patchOp({ op: 'replace', path: 'title', value: 'moved on' }));
    const g = await group();
    const res = await bulk(
      bulkOf([
        {
          method: 'PATCH',
          path: `/Users/${a.id}`,
          version: a.meta.version,
          data: patchOp({ op: 'replace', path: 'title', value: 'stale' }),
        },
        {
          method: 'PATCH',
          path: `/Users/${b.id}`,
          version: b.meta.version,
          data: patchOp({ op: 'replace', path: 'title', value: 'fresh' }),
        },
        { method: 'DELETE', path: `/Groups/${g.id}`, version: 'W/"999"' },
        { method: 'PUT', path: `/Groups/${g.id}`, version: g.meta.version, data: makeGroup({ displayName: 'Renamed' }) },
      ]),
    );
    expect(statuses(res)).toEqual(['412', '200', '412', '200']);
    expect(res.Operations[0]).toMatchObject({ location: `${BASE}/Users/${a.id}`, response: { status: '412' } });
    expect((await scim.get(`/Users/${a.id}`)).body.title).toBe('moved on');
    expect((await scim.get(`/Users/${b.id}`)).body.title).toBe('fresh');
    expect((await scim.get(`/Groups/${g.id}`)).body.displayName).toBe('Renamed');
  });

  it('deactivates through a PATCH active false exactly as the single PATCH does', async () => {
    const viaBulk = await user({ userName: 'bulk@example.com', emails: undefined, name: { givenName: 'A', familyName: 'B' } });
    const single = await user({ userName: 'single@example.com', emails: undefined, name: { givenName: 'A', familyName: 'B' } });
    const deactivate = patchOp({ op: 'Replace', path: 'active', value: 'False' });
    const res = await bulk(bulkOf([{ method: 'PATCH', path: `/Users/${viaBulk.id}`, data: deactivate }]));
    const direct = await scim.patch(`/Users/${single.id}`, deactivate);
    expect(direct.status).toBe(200);
    expect(res.Operations).toEqual([
      { method: 'PATCH', location: `${BASE}/Users/${viaBulk.id}`, version: direct.headers.etag, status: '200' },
    ]);
    const strip = ({ id: _id, userName: _u, meta, ...rest }: Record<string, unknown>) => ({
      ...rest,
      version: (meta as { version: string }).version,
    });
    const [a, b] = await Promise.all([scim.get(`/Users/${viaBulk.id}`), scim.get(`/Users/${single.id}`)]);
    expect(a.body.active).toBe(false);
    expect(strip(a.body)).toEqual(strip(b.body));
    const rows = await t.sql<{ active: boolean }>('SELECT active FROM users WHERE id IN ($1, $2)', [viaBulk.id, single.id]);
    expect(rows.map((r) => r.active)).toEqual([false, false]);
  });

  it('applies the membership rules and the per-request caps to each operation (a team may not contain itself; PATCH operations are capped)', async () => {
    const [g, u] = [await group(), await user()];
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ op: 'replace', path: 'title', value: `t${i}` }));
    const res = await bulk(
      bulkOf([
        addMembers(`/Groups/${g.id}`, u.id),
        {
          method: 'PATCH',
          path: `/Groups/${g.id}`,
          data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: g.id, type: 'Group' }] }] },
        },
        { method: 'PATCH', path: '/Users/00000000-0000-4000-8000-000000000000', data: { schemas: [PATCH_OP], Operations: tooMany } },
      ]),
    );
    expect(res.Operations.map((r) => [r.status, r.response?.scimType])).toEqual([
      ['204', undefined],
      ['400', 'invalidValue'],
      ['413', undefined],
    ]);
    expect(await memberIds(g.id)).toEqual([u.id]);
  });

  describe('bad input gets a clear SCIM error, never a 500, and does no damage', () => {
    it.each<[string, unknown, string, RegExp]>([
      ['a body that is not JSON object', [1, 2], 'invalidSyntax', /must be a JSON object/],
      ['no schemas', { Operations: [postUser('a')] }, 'invalidSyntax', /BulkRequest/],
      ['the wrong schemas', { schemas: [USER], Operations: [postUser('a')] }, 'invalidSyntax', /BulkRequest/],
      ['no Operations', { schemas: [BULK_REQUEST] }, 'invalidSyntax', /Operations/],
      ['Operations not an array', bulkOf('POST /Users' as unknown as unknown[]), 'invalidSyntax', /Operations/],
      ['failOnErrors of 0', bulkOf([postUser('a')], { failOnErrors: 0 }), 'invalidValue', /failOnErrors/],
      [
        'a bulkId used twice',
        bulkOf([postUser('a'), postGroup('a')]),
        'invalidValue',
        /"a" is used by Operations\[0\] and Operations\[1\]/,
      ],
    ])('refuses %s with 400 for the request', async (_name, body, scimType, detail) => {
      const res = await bulk(body, 400);
      expect(res).toEqual({ schemas: [ERROR], status: '400', scimType, detail: expect.stringMatching(detail) });
      expect(await count('users')).toBe(0);
    });

    it('fails each malformed operation alone with the status its single request would get', async () => {
      const res = await bulk(
        bulkOf([
          'DELETE /Users/1',
          { path: '/Users', data: makeUser() },
          { method: 'GET', path: '/Users', bulkId: 'get' },
          { method: 'POST', bulkId: 'nopath', data: makeUser() },
          { method: 'POST', path: '/Schemas', data: makeUser() },
          { method: 'POST', path: '/Users/abc', data: makeUser() },
          { method: 'PUT', path: '/Users', data: makeUser() },
          { method: 'POST', path: '/Users', bulkId: 'nodata' },
          { method: 'PUT', path: '/Users/abc', data: [makeUser()] },
          { method: 'DELETE', path: '/Users/abc', version: 7 },
          { method: 'PATCH', path: '/Users/abc', data: makeUser() },
          { method: 'POST', path: '/Users', data: { schemas: [USER], userName: ['not', 'a', 'string'] } },
          { method: 'DELETE', path: '/Users/not-a-uuid' },
          postUser('fine'),
        ]),
      );
      expect(res.Operations.map((r) => [r.method, r.bulkId, r.status, r.response?.scimType])).toEqual([
        [undefined, undefined, '400', 'invalidSyntax'],
        [undefined, undefined, '400', 'invalidSyntax'],
        ['GET', 'get', '400', 'invalidSyntax'],
        ['POST', 'nopath', '400', 'invalidSyntax'],
        ['POST', undefined, '404', undefined],
        ['POST', undefined, '405', undefined],
        ['PUT', undefined, '405', undefined],
        ['POST', 'nodata', '400', 'invalidSyntax'],
        ['PUT', undefined, '400', 'invalidSyntax'],
        ['DELETE', undefined, '400', 'invalidSyntax'],
        ['PATCH', undefined, '400', 'invalidSyntax'],
        ['POST', undefined, '400', 'invalidValue'],
        ['DELETE', undefined, '404', undefined],
        ['POST', 'fine', '201', undefined],
      ]);
      for (const r of res.Operations.slice(0, -1)) {
        expect(r.response).toMatchObject({ schemas: [ERROR], status: r.status, detail: expect.any(String) });
      }
      expect(await count('users')).toBe(1);
    });

    it('requires the SCIM bearer token', async () => {
      const res = await request(t.http)
        .post('/scim/v2/Bulk')
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify(bulkOf([postUser('a')])));
      expect(res.status).toBe(401);
      expect(await count('users')).toBe(0);
    });
  });

  describe('limits (RFC 7644 §3.7.4)', () => {
    it('advertises bulk with the real limits in ServiceProviderConfig', async () => {
      const res = await scim.get('/ServiceProviderConfig');
      expect(res.body.bulk).toEqual({ supported: true, maxOperations: 300, maxPayloadSize: 256 * 1024 });
    });

    it('answers 413 over maxOperations, running nothing', async () => {
      const res = await bulk(bulkOf(Array.from({ length: 301 }, (_, i) => postUser(`u${i}`))), 413);
      expect(res).toEqual({
        schemas: [ERROR],
        status: '413',
        detail: expect.stringMatching(/at most 300 operations \(maxOperations\); this one has 301/),
      });
      expect(await count('users')).toBe(0);
      expect(statuses(await bulk(bulkOf(Array.from({ length: 300 }, (_, i) => postUser(`u${i}`)))))).toEqual(Array(300).fill('201'));
    });

    it('answers 413 over maxPayloadSize (BULK_MAX_PAYLOAD), and takes a bulk body over BODY_LIMIT below it', async () => {
      const over = bulkOf([postUser('big', { title: 'x'.repeat(256 * 1024) })]);
      const res = await bulk(over, 413);
      expect(res).toEqual({ schemas: [ERROR], status: '413', detail: expect.stringMatching(/256kb \(BULK_MAX_PAYLOAD, maxPayloadSize\)/) });
      const under = bulkOf([postUser('big', { title: 'x'.repeat(64 * 1024) })]);
      expect(statuses(await bulk(under))).toEqual(['201']);
      const single = await scim.post('/Users', makeUser({ title: 'x'.repeat(64 * 1024) }));
      expect(single.status).toBe(413);
      expect(await count('users')).toBe(1);
    });
  });

  it('loses no member and deadlocks nowhere when two bulk requests add members to the same teams at once', async () => {
    const [t1, t2] = [await group(), await group()];
    const side = (name: string, first: string, second: string) =>
      bulkOf(
        Array.from({ length: 15 }, (_, i) => [
          postUser(`${name}${i}`),
          addMembers(`/Groups/${first}`, ref(`${name}${i}`)),
          addMembers(`/Groups/${second}`, ref(`${name}${i}`)),
        ]).flat(),
      );
    const [a, b] = await Promise.all([bulk(side('a', t1.id, t2.id)), bulk(side('b', t2.id, t1.id))]);
    expect(new Set([...statuses(a), ...statuses(b)])).toEqual(new Set(['201', '204']));
    const users = [...a.Operations, ...b.Operations]
      .filter((r) => r.method === 'POST')
      .map(idOf)
      .sort();
    expect(users).toHaveLength(30);
    expect(await memberIds(t1.id)).toEqual(users);
    expect(await memberIds(t2.id)).toEqual(users);
  });
});

describe('/scim/v2/Bulk under the answer deadline', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ HTTP_ANSWER_TIMEOUT_MS: '1000' });
  });
  afterAll(() => t.close());

  it('starts no operation past the deadline: the rest answer 503 each, and the response beats the 503 of the whole request', async () => {
    await t.reset();
    const scim = scimClient(t, await t.token());
    // Each user's scrypt hash takes tens of milliseconds, so 60 of them outlast the half second bulk operations may start in.
    const res = await scim.post('/Bulk', bulkOf(Array.from({ length: 60 }, (_, i) => postUser(`p${i}`, { password: `secret-${i}` }))));
    expect(res.status).toBe(200);
    const results = res.body.Operations as Result[];
    expect(results).toHaveLength(60);
    const ran = results.filter((r) => r.status === '201').length;
    expect(ran).toBeGreaterThan(0);
    expect(ran).toBeLessThan(60);
    expect(results.slice(ran).every((r) => r.status === '503' && /Not run/.test(r.response?.detail ?? ''))).toBe(true);
    const rows = await t.sql<{ n: string }>('SELECT count(*) AS n FROM users');
    expect(Number(rows[0]?.n)).toBe(ran);
  });
});
