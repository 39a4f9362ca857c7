import { createTestApp, TestApp } from '../support/app';
import { ENTERPRISE, ERROR, filterQuery, LIST, makeGroup, makeUser, patchOp, SCIM_JSON, scimClient, USER } from '../support/scim';

describe('/scim/v2/Users', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    t = await createTestApp({ SCIM_MAX_RESULTS: '50', PUBLIC_BASE_URL: 'https://idp-facing.example.com' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    scim = scimClient(t, await t.token());
  });

  const create = async (o: Record<string, unknown> = {}) => {
    const res = await scim.post('/Users', makeUser(o));
    expect(res.status).toBe(201);
    return res.body as { id: string; userName: string; meta: { version: string; created: string; lastModified: string } } & Record<
      string,
      unknown
    >;
  };

  describe('POST', () => {
    it('creates a user: 201, Location, ETag, full meta, server-assigned id', async () => {
      const body = makeUser({ id: 'client-chosen', externalId: 'ext-1', meta: { created: '1999-01-01T00:00:00Z' } });
      const res = await scim.post('/Users', body);
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe(SCIM_JSON);
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.id).not.toBe('client-chosen');
      expect(res.headers.location).toBe(`https://idp-facing.example.com/scim/v2/Users/${res.body.id}`);
      expect(res.headers.etag).toBe('W/"1"');
      expect(res.body).toMatchObject({
        schemas: [USER],
        userName: body.userName,
        externalId: 'ext-1',
        active: true,
        name: body.name,
        emails: body.emails,
        meta: { resourceType: 'User', location: res.headers.location, version: 'W/"1"' },
      });
      expect(Date.parse(res.body.meta.created)).toBeGreaterThan(Date.parse('2020-01-01'));
      expect(res.body.meta.lastModified).toBe(res.body.meta.created);
    });

    it('requires userName', async () => {
      const res = await scim.post('/Users', { schemas: [USER], name: { givenName: 'No' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        schemas: [ERROR],
        status: '400',
        scimType: 'invalidValue',
        detail: expect.stringContaining('userName'),
      });
    });

    it('rejects a body without the User schema, or not an object', async () => {
      expect((await scim.post('/Users', { userName: 'x' })).body.scimType).toBe('invalidSyntax');
      const arr = await scim.post('/Users', [1, 2]);
      expect(arr.status).toBe(400);
      expect(arr.body.schemas).toEqual([ERROR]);
    });

    it('answers 409 uniqueness for a taken userName, case-insensitively', async () => {
      await create({ userName: 'Alice@Example.com' });
      const res = await scim.post('/Users', makeUser({ userName: 'alice@example.COM' }));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ status: '409', scimType: 'uniqueness', detail: expect.stringContaining('alice@example.COM') });
    });

    it('lets exactly one of 20 simultaneous creates with one userName win', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => scim.post('/Users', makeUser({ userName: i % 2 ? 'race@x.io' : 'RACE@x.io' }))),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409 && r.body.scimType === 'uniqueness')).toHaveLength(19);
      expect(await t.sql(`SELECT id FROM users WHERE lower(user_name) = 'race@x.io'`)).toHaveLength(1);
    });

    it('stores a password only as an scrypt hash and never returns it', async () => {
      const user = await create({ password: 'Tr0ub4dor&3' });
      expect(user).not.toHaveProperty('password');
      const [row] = await t.sql<{ password_hash: string; data: object }>('SELECT password_hash, data FROM users WHERE id = $1', [user.id]);
      expect(row?.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
      expect(JSON.stringify(row?.data)).not.toContain('Tr0ub4dor');
      expect((await scim.get(`/Users/${user.id}?attributes=password`)).body).not.toHaveProperty('password');
    });

    it('never echoes a rejected password in the error', async () => {
      for (const password of [['Secret-in-a-list'], 'Secret-with-NUL\u0000']) {
        const res = await scim.post('/Users', makeUser({ password }));
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('password') });
        expect(res.text).not.toContain('Secret-');
      }
      const user = await create();
      const patched = await scim.patch(
        `/Users/${user.id}`,
        patchOp({ op: 'replace', path: 'password', value: { v: 'Secret-in-an-object' } }),
      );
      expect(patched.status).toBe(400);
      expect(patched.text).not.toContain('Secret-');
    });

    it('coerces string booleans by schema type and accepts the enterprise manager as a bare id', async () => {
      const res = await scim.post(
        '/Users',
        makeUser({
          active: 'False',
          emails: [{ value: 'a@x.io', primary: 'true' }],
          [ENTERPRISE]: { manager: 'mgr-1', department: 'R&D' },
        }),
      );
      expect(res.status).toBe(201);
      expect(res.body.active).toBe(false);
      expect(res.body.emails[0].primary).toBe(true);
      expect(res.body.schemas).toEqual([USER, ENTERPRISE]);
      expect(res.body[ENTERPRISE]).toEqual({ manager: { value: 'mgr-1' }, department: 'R&D' });
    });

    it('rejects a value that cannot be coerced, naming the attribute', async () => {
      const res = await scim.post('/Users', makeUser({ active: 'maybe' }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('active') });
    });
  });

  describe('roles', () => {
    const roleOf = async (id: string) => (await t.sql<{ role: string }>('SELECT role FROM users WHERE id = $1', [id]))[0]?.role;

    it('takes the highest-ranked known roles value (USER_ROLES order), case-insensitively, primary or not', async () => {
      const user = await create({ roles: [{ value: 'Member', primary: true }, { value: 'Admin' }] });
      expect(await roleOf(user.id)).toBe('admin');
    });

    it('gives DEFAULT_USER_ROLE when no role is sent', async () => {
      const user = await create();
      expect(await roleOf(user.id)).toBe('viewer');
    });

    it('never fails a user for a value outside USER_ROLES: roles round-trips as sent, and the role falls back', async () => {
      const roles = [
        { value: 'superuser', primary: true, type: 'WindowsAzureActiveDirectoryRole' },
        { value: 'Global Reader', display: 'Reader' },
      ];
      const res = await scim.post('/Users', makeUser({ roles }));
      expect(res.status).toBe(201);
      expect(res.body.roles).toEqual(roles);
      expect(await roleOf(res.body.id)).toBe('viewer');
      const withKnown = await scim.patch(`/Users/${res.body.id}`, patchOp({ op: 'add', path: 'roles', value: [{ value: 'MEMBER' }] }));
      expect(withKnown.status).toBe(200);
      expect(withKnown.body.roles).toEqual([...roles, { value: 'MEMBER' }]);
      expect(await roleOf(res.body.id)).toBe('member');
    });
  });

  describe('GET', () => {
    it('returns one user, and 404 for unknown or malformed ids', async () => {
      const user = await create();
      const res = await scim.get(`/Users/${user.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('W/"1"');
      expect(res.body).toEqual(user);
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
        const missing = await scim.get(`/Users/${encodeURIComponent(id)}`);
        expect(missing.status).toBe(404);
        expect(missing.body).toMatchObject({ schemas: [ERROR], status: '404' });
      }
    });

    it('answers 304 to a matching If-None-Match', async () => {
      const user = await create();
      const res = await scim.get(`/Users/${user.id}`).set('If-None-Match', 'W/"1"');
      expect(res.status).toBe(304);
      expect(res.text).toBe('');
      expect((await scim.get(`/Users/${user.id}`).set('If-None-Match', 'W/"9"')).status).toBe(200);
    });

    it('changes the version (ETag) when the user joins or leaves a team or sees one renamed, since `groups` changed', async () => {
      const user = await create();
      const get = (etag: string) => scim.get(`/Users/${user.id}`).set('If-None-Match', etag);
      const team = (await scim.post('/Groups', makeGroup({ displayName: 'Red', members: [{ value: user.id }] }))).body as { id: string };
      const joined = await get('W/"1"');
      expect(joined.status).toBe(200);
      expect(joined.body.groups).toEqual([expect.objectContaining({ value: team.id, display: 'Red' })]);
      const inRed = joined.body.meta.version as string;
      expect(inRed).toMatch(/^W\/"1\.[\w-]+"$/);
      expect(joined.headers.etag).toBe(inRed);
      expect((await get(inRed)).status).toBe(304);

      await scim.patch(`/Groups/${team.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Blue' }));
      const renamed = await get(inRed);
      expect(renamed.status).toBe(200);
      expect(renamed.body.groups).toEqual([expect.objectContaining({ display: 'Blue' })]);
      expect(renamed.body.meta.version).not.toBe(inRed);
      const stale = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'T' })).set('If-Match', inRed);
      expect(stale.status).toBe(412);

      // Out of every team again: the same representation as at version 1, so the same ETag.
      await scim.delete(`/Groups/${team.id}`);
      const left = await get(renamed.body.meta.version as string);
      expect(left.status).toBe(200);
      expect(left.body).not.toHaveProperty('groups');
      expect(left.body.meta.version).toBe('W/"1"');
    });

    it('projects attributes and excludedAttributes with returned semantics', async () => {
      const user = await create({ displayName: 'Dee', title: 'CTO' });
      const only = await scim.get(`/Users/${user.id}?attributes=userName,name.givenName`);
      expect(only.body).toEqual({ schemas: [USER], id: user.id, userName: user.userName, name: { givenName: 'Test' } });
      const without = await scim.get(`/Users/${user.id}?excludedAttributes=emails,name,meta`);
      expect(without.body).not.toHaveProperty('emails');
      expect(without.body).not.toHaveProperty('name');
      expect(without.body).toMatchObject({ id: user.id, title: 'CTO', displayName: 'Dee' });
    });

    it('reads a bare schema URN in attributes or excludedAttributes as all of that schema', async () => {
      const user = await create({ title: 'CTO', [ENTERPRISE]: { department: 'R&D', employeeNumber: '7' } });
      const without = await scim.get(`/Users/${user.id}?excludedAttributes=${ENTERPRISE.toUpperCase()}`);
      expect(without.body).not.toHaveProperty([ENTERPRISE]);
      expect(without.body).toMatchObject({ schemas: [USER], title: 'CTO' });
      const only = await scim.get(`/Users/${user.id}?attributes=${ENTERPRISE}`);
      expect(only.body).toEqual({ schemas: [USER, ENTERPRISE], id: user.id, [ENTERPRISE]: { department: 'R&D', employeeNumber: '7' } });
    });
  });

  describe('list and filter', () => {
    it('pages with totalResults, startIndex and itemsPerPage in a stable order', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        ids.push((await create()).id);
      }
      const page = await scim.get('/Users?startIndex=3&count=2');
      expect(page.body).toMatchObject({ schemas: [LIST], totalResults: 7, startIndex: 3, itemsPerPage: 2 });
      expect(page.body.Resources.map((r: { id: string }) => r.id)).toEqual(ids.slice(2, 4));

      const below = await scim.get('/Users?startIndex=-4&count=1');
      expect(below.body).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
      expect(below.body.Resources[0].id).toBe(ids[0]);

      const totalOnly = await scim.get('/Users?count=0');
      expect(totalOnly.body).toEqual({ schemas: [LIST], totalResults: 7, startIndex: 1, itemsPerPage: 0, Resources: [] });

      const past = await scim.get('/Users?startIndex=100');
      expect(past.body).toMatchObject({ totalResults: 7, itemsPerPage: 0, Resources: [] });
    });

    it('caps count at SCIM_MAX_RESULTS', async () => {
      await t.sql(
        `INSERT INTO users (user_name, role, data) SELECT 'bulk' || g, 'viewer', jsonb_build_object('schemas', jsonb_build_array($1::text), 'userName', 'bulk' || g, 'active', true) FROM generate_series(1, 60) g`,
        [USER],
      );
      const res = await scim.get('/Users?count=1000');
      expect(res.body).toMatchObject({ totalResults: 60, itemsPerPage: 50 });
    });

    it('reads an empty filter as no filter', async () => {
      await create();
      expect((await scim.get('/Users?filter=')).body.totalResults).toBe(1);
    });

    it('reads an empty count as no count, and repeated attributes parameters as one list', async () => {
      await create({ userName: 'one@x.io', title: 'T' });
      expect((await scim.get('/Users?count=&startIndex=')).body).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
      const res = await scim.get('/Users?attributes=userName&attributes=title');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'title', 'userName']);
    });

    it('rejects a non-integer startIndex or count', async () => {
      const res = await scim.get('/Users?count=ten');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('count') });
    });

    it.each([
      ['userName eq "CARLA@X.IO"', ['carla']],
      ['userName sw "car"', ['carla']],
      ['externalId eq "e-2"', ['dan']],
      ['externalId eq "E-2"', []],
      ['emails.value eq "Dan@Work.io"', ['dan']],
      ['emails[type eq "work" and value co "@work"]', ['dan']],
      ['emails[primary eq "true" and value ew ".io"]', ['carla', 'dan']],
      ['name.familyName eq "Smith" or displayName eq "Dan D"', ['carla', 'dan']],
      ['active eq "False"', ['dan']],
      ['not (active eq true) and userName pr', ['dan']],
      [`${ENTERPRISE}:department eq "Sales"`, ['carla']],
      [`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "dan@x.io"`, ['dan']],
      ['meta.created gt "2000-01-01T00:00:00Z"', ['carla', 'dan']],
      ['meta.lastModified lt "2000-01-01T00:00:00Z"', []],
      ['title pr', []],
    ])('filters %s in PostgreSQL', async (filter, expected) => {
      const carla = await create({
        userName: 'carla@x.io',
        name: { familyName: 'Smith' },
        emails: [{ value: 'carla@home.io', type: 'home', primary: true }],
        [ENTERPRISE]: { department: 'Sales' },
      });
      const dan = await create({
        userName: 'dan@x.io',
        externalId: 'e-2',
        displayName: 'Dan D',
        active: false,
        emails: [{ value: 'dan@work.io', type: 'work', primary: true }],
      });
      const names = new Map([
        [carla.id, 'carla'],
        [dan.id, 'dan'],
      ]);
      const res = await scim.get(`/Users?${filterQuery(filter)}`);
      expect(res.status).toBe(200);
      expect(res.body.Resources.map((r: { id: string }) => names.get(r.id)).sort()).toEqual(expected);
      expect(res.body.totalResults).toBe(expected.length);
    });

    it.each([
      ['userName eq', /column 12/],
      ['nickname zz "x"', /zz/],
      ['unknownAttr eq "x"', /unknownAttr/],
      ['active gt true', /gt/],
      ['emails[type eq "work"].value eq "x"', /./],
      ['groups.$ref pr', /groups\.\$ref/],
      ['groups[$ref eq "x"]', /groups\.\$ref/],
    ])('answers 400 invalidFilter for %s', async (filter, detail) => {
      const res = await scim.get(`/Users?${filterQuery(filter)}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidFilter', detail: expect.stringMatching(detail) });
    });

    it('finds an email with non-ASCII capitals, folded as lower() folds it', async () => {
      const user = await create({ emails: [{ value: 'İpek.Öz@x.io', primary: true }] });
      for (const filter of [
        'emails.value eq "İpek.Öz@x.io"',
        'emails.value eq "İPEK.ÖZ@X.IO"',
        'emails.value sw "İPEK"',
        'emails[value eq "İpek.Öz@x.io"]',
      ]) {
        const res = await scim.get(`/Users?${filterQuery(filter)}`);
        expect({ filter, ids: res.body.Resources?.map((r: { id: string }) => r.id) }).toEqual({ filter, ids: [user.id] });
      }
    });

    it('finds a user by the meta timestamps it was shown (incremental sync)', async () => {
      const user = await create();
      const { created, lastModified } = user.meta;
      const total = async (filter: string) => (await scim.get(`/Users?${filterQuery(filter)}`)).body.totalResults as number;
      expect(await total(`meta.created eq "${created}"`)).toBe(1);
      expect(await total(`meta.lastModified ge "${lastModified}"`)).toBe(1);
      expect(await total(`meta.lastModified gt "${lastModified}"`)).toBe(0);
    });

    it('serves POST /Users/.search like GET with a filter', async () => {
      const user = await create({ userName: 'searched@x.io' });
      const res = await scim.post('/Users/.search', {
        schemas: ['URN:ietf:params:scim:api:messages:2.0:searchrequest'],
        filter: 'userName eq "searched@x.io"',
        attributes: ['userName'],
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ totalResults: 1, Resources: [{ id: user.id, userName: 'searched@x.io' }] });
      expect(res.body.Resources[0]).not.toHaveProperty('emails');
    });
  });

  describe('PUT', () => {
    it('replaces the user, ignoring readOnly attributes, and keeps active when omitted', async () => {
      const user = await create({ title: 'Engineer', active: false });
      const { active: _a, ...body } = makeUser({ userName: user.userName, displayName: 'Replaced', id: 'other', meta: { version: 'x' } });
      const res = await scim.put(`/Users/${user.id}`, body);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: user.id, displayName: 'Replaced', active: false, meta: { version: 'W/"2"' } });
      expect(res.body).not.toHaveProperty('title');
      expect(res.headers.etag).toBe('W/"2"');
    });

    it('answers 404 for an unknown user and 409 when renaming onto a taken userName', async () => {
      expect((await scim.put('/Users/00000000-0000-4000-8000-000000000000', makeUser())).status).toBe(404);
      const a = await create();
      const b = await create();
      const res = await scim.put(`/Users/${b.id}`, makeUser({ userName: a.userName.toUpperCase() }));
      expect(res.status).toBe(409);
      expect(res.body.scimType).toBe('uniqueness');
    });

    it('honours If-Match: 412 when stale, applied when current', async () => {
      const user = await create();
      const stale = await scim.put(`/Users/${user.id}`, makeUser({ userName: user.userName })).set('If-Match', 'W/"7"');
      expect(stale.status).toBe(412);
      expect(stale.body.schemas).toEqual([ERROR]);
      const fresh = await scim.put(`/Users/${user.id}`, makeUser({ userName: user.userName })).set('If-Match', 'W/"1"');
      expect(fresh.status).toBe(200);
    });
  });

  describe('PATCH', () => {
    it('applies operations and returns the resource with a new version', async () => {
      const user = await create();
      const res = await scim.patch(
        `/Users/${user.id}`,
        patchOp({ op: 'replace', path: 'displayName', value: 'New' }, { op: 'add', path: 'title', value: 'Lead' }),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: user.id, displayName: 'New', title: 'Lead', meta: { version: 'W/"2"' } });
      expect(Date.parse(res.body.meta.lastModified)).toBeGreaterThanOrEqual(
        Date.parse(user.meta.version === 'W/"1"' ? (user.meta as unknown as { created: string }).created : ''),
      );
    });

    it('writes nothing when nothing changes', async () => {
      const user = await create({ displayName: 'Same' });
      const res = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Same' }));
      expect(res.status).toBe(200);
      expect(res.body.meta.version).toBe('W/"1"');
      expect(res.body.meta.lastModified).toBe(user.meta.lastModified);
    });

    it('never re-enables a deactivated user by removing active or setting it to null', async () => {
      const user = await create({ active: false });
      for (const op of [
        { op: 'remove', path: 'active' },
        { op: 'replace', path: 'active', value: null },
        { op: 'replace', value: { active: null } },
      ]) {
        const res = await scim.patch(`/Users/${user.id}`, patchOp(op));
        expect({ op, status: res.status, active: res.body.active }).toEqual({ op, status: 200, active: false });
      }
      expect((await scim.get(`/Users?${filterQuery('active eq false')}`)).body.totalResults).toBe(1);
    });

    it('is atomic: a failing operation applies none', async () => {
      const user = await create({ displayName: 'Before' });
      const res = await scim.patch(
        `/Users/${user.id}`,
        patchOp({ op: 'replace', path: 'displayName', value: 'After' }, { op: 'replace', path: 'id', value: 'x' }),
      );
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('mutability');
      expect((await scim.get(`/Users/${user.id}`)).body).toMatchObject({ displayName: 'Before', meta: { version: 'W/"1"' } });
    });

    it.each([
      [{ op: 'remove', path: 'userName' }, 'mutability'],
      [{ op: 'replace', path: 'bogus..path', value: 1 }, 'invalidPath'],
      [{ op: 'remove', path: 'emails[type eq "fax"]' }, 'noTarget'],
      [{ op: 'replace', path: 'groups', value: [] }, 'mutability'],
      [{ op: 'jump', path: 'title', value: 'x' }, 'invalidSyntax'],
    ])('answers 400 for %j', async (op, scimType) => {
      const user = await create();
      const res = await scim.patch(`/Users/${user.id}`, patchOp(op));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType });
    });

    it('ignores operations on an extension schema this server does not have', async () => {
      const user = await create();
      const res = await scim.patch(
        `/Users/${user.id}`,
        patchOp(
          { op: 'replace', path: 'urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCode', value: 'X1' },
          { op: 'replace', path: 'title', value: 'T' },
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('T');
      expect(JSON.stringify(res.body)).not.toContain('costCode');
    });

    it('answers 404 for an unknown user', async () => {
      expect(
        (await scim.patch('/Users/00000000-0000-4000-8000-000000000000', patchOp({ op: 'replace', path: 'title', value: 'x' }))).status,
      ).toBe(404);
    });

    it('projects the response', async () => {
      const user = await create();
      const res = await scim.patch(`/Users/${user.id}?attributes=title`, patchOp({ op: 'add', path: 'title', value: 'T' }));
      expect(res.body).toEqual({ schemas: [USER], id: user.id, title: 'T' });
    });
  });

  describe('concurrent writes', () => {
    it('loses no update when 30 PATCHes of one user race (each adds its own email)', async () => {
      const user = await create({ emails: [] });
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          scim.patch(`/Users/${user.id}`, patchOp({ op: 'add', path: 'emails', value: [{ value: `e${i}@x.io` }] })),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(30).fill(200));
      const after = await scim.get(`/Users/${user.id}`);
      expect((after.body.emails as { value: string }[]).map((e) => e.value).sort()).toEqual(
        Array.from({ length: 30 }, (_, i) => `e${i}@x.io`).sort(),
      );
      expect(after.headers.etag).toBe('W/"31"');
    });

    it('lets exactly one of 10 writes carrying the same If-Match win; the others get 412', async () => {
      const user = await create();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: `T${i}` })).set('If-Match', user.meta.version),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 412)).toHaveLength(9);
      expect((await scim.get(`/Users/${user.id}`)).headers.etag).toBe('W/"2"');
    });
  });

  describe('DELETE', () => {
    it('answers 204, then 404', async () => {
      const user = await create();
      const del = await scim.delete(`/Users/${user.id}`);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect((await scim.get(`/Users/${user.id}`)).status).toBe(404);
      expect((await scim.delete(`/Users/${user.id}`)).status).toBe(404);
    });

    it('ignores the Content-Type of a DELETE without a body', async () => {
      const user = await create();
      for (const type of ['application/scim+json', 'text/plain']) {
        const del = await scim.delete(`/Users/${(await create()).id}`).set('Content-Type', type);
        expect({ type, status: del.status }).toEqual({ type, status: 204 });
      }
      expect((await scim.delete(`/Users/${user.id}`)).status).toBe(204);
    });
  });

  it('advertises patch, filter and etag in ServiceProviderConfig', async () => {
    const res = await scim.get('/ServiceProviderConfig');
    expect(res.body).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 50 }, etag: { supported: true } });
  });
});
