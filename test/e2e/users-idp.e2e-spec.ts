import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/app';
import { ENTERPRISE, ERROR, filterQuery, LIST, makeUser, PATCH_OP, patchOp, SCIM_JSON, scimClient, USER } from '../support/scim';

/**
 * Replays, in order, the requests real identity providers send for a user's life cycle (IDP-QUIRKS.md), and asserts
 * what the IdP sees: status, headers, body, and what a later GET returns. Payload shapes follow the vendors' own
 * documentation: Microsoft's "Tutorial: develop a SCIM endpoint" and "Known issues … SCIM 2.0 protocol compliance",
 * and Okta's "SCIM 2.0 guide".
 */

type ScimUser = {
  id: string;
  userName: string;
  active: boolean;
  meta: { created: string; lastModified: string; version: string; location: string };
} & Record<string, unknown>;

const OKTA_CUSTOM = 'urn:okta:custom:1.0:User';

const emptyList = { schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] };

describe('IdP request sequences on /scim/v2/Users', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'https://scim.example.com' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    token = await t.token();
    scim = scimClient(t, token);
  });

  /** A raw GET with the query string exactly as the IdP encodes it (Entra uses '+' for spaces). */
  const rawGet = (pathAndQuery: string) => request(t.http).get(`/scim/v2${pathAndQuery}`).set('Authorization', `Bearer ${token}`);

  const byUserName = async (userName: string) => {
    const res = await scim.get(`/Users?${filterQuery(`userName eq "${userName}"`)}`);
    expect(res.status).toBe(200);
    return res.body as { totalResults: number; Resources: ScimUser[] };
  };

  const read = async (id: string) => {
    const res = await scim.get(`/Users/${id}`);
    expect(res.status).toBe(200);
    return res.body as ScimUser;
  };

  const patchOk = async (id: string, body: unknown) => {
    const res = await scim.patch(`/Users/${id}`, body);
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 200 });
    expect(res.headers['content-type']).toBe(SCIM_JSON);
    expect(res.headers.etag).toBe((res.body as ScimUser).meta.version);
    return res.body as ScimUser;
  };

  describe('Microsoft Entra ID', () => {
    const entraCreate = (o: Record<string, unknown> = {}) => ({
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: 'True',
      displayName: 'Test User',
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } },
      ...o,
    });

    const provision = async (o: Record<string, unknown> = {}) => {
      const res = await scim.post('/Users', entraCreate(o)).set('Content-Type', 'application/scim+json; charset=utf-8');
      expect(res.status).toBe(201);
      return res.body as ScimUser;
    };

    it('answers the existence probe for a random userName with an empty ListResponse, never with other users', async () => {
      await scim.post('/Users', makeUser());
      await scim.post('/Users', makeUser());
      const guid = randomUUID();
      // Entra encodes spaces as '+' and quotes as %22.
      const res = await rawGet(`/Users?filter=userName+eq+%22${guid}%22`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(SCIM_JSON);
      expect(res.body).toEqual(emptyList);
      expect((await scim.get(`/Users?${filterQuery(`userName eq "${guid}"`)}`)).body).toEqual(emptyList);
    });

    it('accepts the ?aadOptscim062020 flag Entra carries from the tenant URL on every request', async () => {
      const probe = await rawGet(`/Users?aadOptscim062020&filter=userName+eq+%22${randomUUID()}%22`);
      expect(probe.status).toBe(200);
      expect(probe.body).toEqual(emptyList);
      const created = await scim.post('/Users?aadOptscim062020', entraCreate());
      expect(created.status).toBe(201);
      const patched = await scim.patch(`/Users/${created.body.id}?aadOptscim062020`, patchOp({ op: 'replace', value: { active: false } }));
      expect(patched.status).toBe(200);
      expect(patched.body.active).toBe(false);
      expect((await scim.get(`/Users/${created.body.id}?aadOptscim062020`)).body.active).toBe(false);
    });

    it('creates a user with the enterprise extension, "active": "True" and an empty roles array, then finds it by userName and externalId', async () => {
      expect(await byUserName('Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1')).toEqual(emptyList);
      const res = await scim.post('/Users', entraCreate()).set('Content-Type', 'application/scim+json; charset=utf-8');
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe(SCIM_JSON);
      expect(res.headers.location).toBe(`https://scim.example.com/scim/v2/Users/${res.body.id}`);
      expect(res.headers.etag).toBe('W/"1"');
      expect(res.body).toMatchObject({
        schemas: [USER, ENTERPRISE],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        [ENTERPRISE]: {
          employeeNumber: '701984',
          department: 'Tour Operations',
          manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' },
        },
        meta: { resourceType: 'User', location: res.headers.location, version: 'W/"1"' },
      });
      expect(res.body).not.toHaveProperty('roles');

      const found = await byUserName('test_user_AB6490EE-1e48-479e-a20b-2d77186b5dd1');
      expect(found.totalResults).toBe(1);
      expect(found.Resources[0]).toEqual(res.body);
      const byExternalId = await scim.get(`/Users?${filterQuery('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`);
      expect(byExternalId.body.Resources.map((u: ScimUser) => u.id)).toEqual([res.body.id]);
    });

    it('applies the non-compliant shapes: capitalised ops, "False" strings, single-attribute paths', async () => {
      const user = await provision();
      // Known-issues page, "before the fix" shapes.
      const updated = await patchOk(
        user.id,
        patchOp(
          { op: 'Add', path: 'nickName', value: 'Babs' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
          { op: 'Add', path: `${ENTERPRISE}:employeeNumber`, value: '1234' },
          { op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' },
          { op: 'Replace', path: 'active', value: 'False' },
        ),
      );
      expect(updated).toMatchObject({
        id: user.id,
        nickName: 'Babs',
        userName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
        active: false,
        name: { familyName: 'updatedFamilyName', givenName: 'givenName' },
        [ENTERPRISE]: { employeeNumber: '1234', department: 'Tour Operations' },
        meta: { version: 'W/"2"' },
      });
      expect(await read(user.id)).toEqual(updated);
      expect((await byUserName('Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1')).totalResults).toBe(0);
      expect((await byUserName('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com')).Resources.map((u) => u.id)).toEqual([user.id]);

      const back = await patchOk(user.id, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
      expect(back.active).toBe(true);
      const listed = await scim.get(`/Users?${filterQuery('active eq "True"')}`);
      expect(listed.body.Resources.map((u: ScimUser) => u.id)).toEqual([user.id]);
    });

    it('applies a no-path Replace whose value object mixes plain, dotted and URN keys', async () => {
      const user = await provision();
      const updated = await patchOk(
        user.id,
        patchOp({
          op: 'Replace',
          value: {
            displayName: 'Pat Doe',
            'name.givenName': 'Pat',
            'name.familyName': 'Doe',
            active: 'False',
            [`${ENTERPRISE}:department`]: 'Finance',
            [`${ENTERPRISE}:employeeNumber`]: '42',
          },
        }),
      );
      expect(updated).toMatchObject({
        displayName: 'Pat Doe',
        name: { givenName: 'Pat', familyName: 'Doe', formatted: 'givenName familyName' },
        active: false,
        [ENTERPRISE]: { department: 'Finance', employeeNumber: '42', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } },
      });
      expect(updated).not.toHaveProperty(['name.givenName']);
      expect(updated).not.toHaveProperty([`${ENTERPRISE}:department`]);
      expect(await read(user.id)).toEqual(updated);
      const byDept = await scim.get(`/Users?${filterQuery(`${ENTERPRISE}:department eq "finance" and displayName eq "Pat Doe"`)}`);
      expect(byDept.body.totalResults).toBe(1);
    });

    it('sets the manager sent as a bare id through the extension URN path, and removes it', async () => {
      const manager = await provision({ userName: 'manager@testuser.com', externalId: 'm-1', [ENTERPRISE]: { department: 'Ops' } });
      const user = await provision({ [ENTERPRISE]: { department: 'Ops' } });
      const set = await patchOk(user.id, patchOp({ op: 'Add', path: `${ENTERPRISE}:manager`, value: manager.id }));
      expect(set[ENTERPRISE]).toEqual({ department: 'Ops', manager: { value: manager.id } });
      const replaced = await patchOk(user.id, patchOp({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: 'other-manager' } }));
      expect(replaced[ENTERPRISE]).toEqual({ department: 'Ops', manager: { value: 'other-manager' } });
      const removed = await patchOk(user.id, patchOp({ op: 'Remove', path: `${ENTERPRISE}:manager` }));
      expect(removed[ENTERPRISE]).toEqual({ department: 'Ops' });
      expect(removed.schemas).toEqual([USER, ENTERPRISE]);
      const alone = await patchOk(user.id, patchOp({ op: 'Remove', path: `${ENTERPRISE}:department` }));
      expect(alone).not.toHaveProperty([ENTERPRISE]);
      expect(alone.schemas).toEqual([USER]);

      // The manager arrives after the create, on a user that has no enterprise attributes yet.
      const plain = await provision({ userName: 'plain@testuser.com', externalId: 'p-1', schemas: [USER], [ENTERPRISE]: undefined });
      expect(plain.schemas).toEqual([USER]);
      const managed = await patchOk(plain.id, patchOp({ op: 'Add', path: `${ENTERPRISE}:manager`, value: manager.id }));
      expect(managed.schemas).toEqual([USER, ENTERPRISE]);
      expect(managed[ENTERPRISE]).toEqual({ manager: { value: manager.id } });
      expect(
        (await scim.get(`/Users?${filterQuery(`${ENTERPRISE}:manager.value eq "${manager.id}"`)}`)).body.Resources.map(
          (u: ScimUser) => u.id,
        ),
      ).toEqual([plain.id]);
    });

    it('replaces emails[type eq "work"].value when the work email exists, and creates it when it does not', async () => {
      const user = await provision();
      const replaced = await patchOk(
        user.id,
        patchOp(
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        ),
      );
      expect(replaced.emails).toEqual([{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
      expect((await scim.get(`/Users?${filterQuery('emails.value eq "updatedemail@microsoft.com"')}`)).body.totalResults).toBe(1);
      expect(
        (await scim.get(`/Users?${filterQuery('emails.value eq "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"')}`)).body
          .totalResults,
      ).toBe(0);

      const noWork = await provision({
        userName: 'home-only@testuser.com',
        externalId: 'x-2',
        emails: [{ type: 'home', value: 'home@testuser.com', primary: 'true' }],
      });
      const created = await patchOk(
        noWork.id,
        patchOp({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'work@testuser.com' }),
      );
      expect(created.emails).toEqual([
        { type: 'home', value: 'home@testuser.com', primary: true },
        { type: 'work', value: 'work@testuser.com' },
      ]);
      // Entra also sends Add for a previously empty value; a second Add must not create a second work email.
      const added = await patchOk(noWork.id, patchOp({ op: 'Add', path: 'emails[type eq "work"].value', value: 'work2@testuser.com' }));
      expect(added.emails).toEqual([
        { type: 'home', value: 'home@testuser.com', primary: true },
        { type: 'work', value: 'work2@testuser.com' },
      ]);
      expect(await read(noWork.id)).toEqual(added);
      const noEmails = await provision({ userName: 'no-email@testuser.com', externalId: 'x-3', emails: undefined });
      const first = await patchOk(noEmails.id, patchOp({ op: 'Add', path: 'emails[type eq "work"].value', value: 'first@testuser.com' }));
      expect(first.emails).toEqual([{ type: 'work', value: 'first@testuser.com' }]);
      const found = await scim.get(`/Users?${filterQuery('emails[type eq "work" and value eq "WORK2@testuser.com"]')}`);
      expect(found.body.Resources.map((u: ScimUser) => u.id)).toEqual([noWork.id]);
    });

    it('creates phoneNumbers and addresses through Entra sub-attribute paths', async () => {
      const user = await provision();
      const updated = await patchOk(
        user.id,
        patchOp(
          { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 425 555 0100' },
          { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 425 555 0101' },
          { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Microsoft Way' },
          { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
          { op: 'Add', path: 'addresses[type eq "work"].country', value: 'US' },
        ),
      );
      expect(updated.phoneNumbers).toEqual([
        { type: 'work', value: '+1 425 555 0100' },
        { type: 'mobile', value: '+1 425 555 0101' },
      ]);
      expect(updated.addresses).toEqual([{ type: 'work', streetAddress: '1 Microsoft Way', locality: 'Redmond', country: 'US' }]);
      expect(await read(user.id)).toEqual(updated);
    });

    it('honours [primary eq "True"] in list filters and in PATCH paths', async () => {
      const user = await provision({
        emails: [
          { type: 'work', value: 'work@testuser.com', primary: 'True' },
          { type: 'home', value: 'home@testuser.com', primary: 'False' },
        ],
      });
      expect(user.emails).toEqual([
        { type: 'work', value: 'work@testuser.com', primary: true },
        { type: 'home', value: 'home@testuser.com', primary: false },
      ]);
      const listed = await scim.get(`/Users?${filterQuery('emails[primary eq "True" and value eq "work@testuser.com"]')}`);
      expect(listed.body.Resources.map((u: ScimUser) => u.id)).toEqual([user.id]);
      expect(
        (await scim.get(`/Users?${filterQuery('emails[primary eq "True" and value eq "home@testuser.com"]')}`)).body.totalResults,
      ).toBe(0);
      expect((await scim.get(`/Users?${filterQuery('emails[primary eq "False"]')}`)).body.totalResults).toBe(1);

      const updated = await patchOk(
        user.id,
        patchOp({ op: 'Replace', path: 'emails[primary eq "True"].value', value: 'primary@testuser.com' }),
      );
      expect(updated.emails).toEqual([
        { type: 'work', value: 'primary@testuser.com', primary: true },
        { type: 'home', value: 'home@testuser.com', primary: false },
      ]);
      const moved = await patchOk(user.id, patchOp({ op: 'Replace', path: 'emails[type eq "home"].primary', value: 'True' }));
      expect(moved.emails).toEqual([
        { type: 'work', value: 'primary@testuser.com', primary: false },
        { type: 'home', value: 'home@testuser.com', primary: true },
      ]);
      expect(await read(user.id)).toEqual(moved);
    });

    it('assigns the application role from roles with "primary": "True"', async () => {
      const user = await provision();
      await patchOk(
        user.id,
        patchOp({ op: 'Add', path: 'roles', value: [{ primary: 'True', type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }] }),
      );
      expect(await t.sql('SELECT role FROM users WHERE id = $1', [user.id])).toEqual([{ role: 'admin' }]);
      const changed = await patchOk(
        user.id,
        patchOp({ op: 'Replace', path: 'roles', value: [{ primary: 'True', type: 'WindowsAzureActiveDirectoryRole', value: 'Member' }] }),
      );
      expect(changed.roles).toEqual([{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Member' }]);
      expect(await t.sql('SELECT role FROM users WHERE id = $1', [user.id])).toEqual([{ role: 'member' }]);
    });

    it('soft-deletes with Replace active "False", still finds the disabled user by userName, then hard-deletes', async () => {
      const user = await provision();
      const disabled = await patchOk(user.id, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
      expect(disabled.active).toBe(false);

      // Entra's validator re-reads the disabled user by filter and expects `active` in the result.
      const found = await rawGet('/Users?filter=userName+eq+%22Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1%22');
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ schemas: [LIST], totalResults: 1, itemsPerPage: 1, Resources: [{ id: user.id, active: false }] });
      expect((await read(user.id)).active).toBe(false);
      expect((await scim.get(`/Users?${filterQuery('active eq false')}`)).body.Resources.map((u: ScimUser) => u.id)).toEqual([user.id]);

      const del = await scim.delete(`/Users/${user.id}`);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      const gone = await scim.get(`/Users/${user.id}`);
      expect(gone.status).toBe(404);
      expect(gone.headers['content-type']).toBe(SCIM_JSON);
      expect(gone.body).toMatchObject({ schemas: [ERROR], status: '404', detail: expect.stringContaining(user.id) });
      expect(await byUserName('Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1')).toEqual(emptyList);
      // After a purge Entra provisions the same identity again from scratch.
      expect((await scim.post('/Users', entraCreate())).status).toBe(201);
    });
  });

  describe('Okta', () => {
    const OKTA_HEADERS = { 'User-Agent': 'Okta SCIM Client 1.0.0', Accept: 'application/scim+json' };
    const oktaUser = (o: Record<string, unknown> = {}) => ({
      schemas: [USER],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
      ...o,
    });
    const okta = {
      get: (path: string) => scim.get(path).set(OKTA_HEADERS),
      post: (path: string, body: unknown) =>
        scim.post(path, body).set(OKTA_HEADERS).set('Content-Type', 'application/scim+json; charset=utf-8'),
      put: (path: string, body: unknown) =>
        scim.put(path, body).set(OKTA_HEADERS).set('Content-Type', 'application/scim+json; charset=utf-8'),
      patch: (path: string, body: unknown) =>
        scim.patch(path, body).set(OKTA_HEADERS).set('Content-Type', 'application/scim+json; charset=utf-8'),
    };
    const lookup = (userName: string) => okta.get(`/Users?${filterQuery(`userName eq "${userName}"`)}&startIndex=1&count=100`);
    const passwordHash = async (id: string) =>
      (await t.sql<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [id]))[0]?.password_hash;

    const create = async (o: Record<string, unknown> = {}) => {
      const res = await okta.post('/Users', oktaUser(o));
      expect(res.status).toBe(201);
      return res.body as ScimUser;
    };

    it('probes with startIndex and count, creates with a password and groups [], and answers a duplicate with 409 uniqueness', async () => {
      await scim.post('/Users', makeUser());
      const probe = await lookup('test.user@okta.local');
      expect(probe.status).toBe(200);
      expect(probe.headers['content-type']).toBe(SCIM_JSON);
      expect(probe.body).toEqual(emptyList);

      const created = await okta.post('/Users', oktaUser());
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`https://scim.example.com/scim/v2/Users/${created.body.id}`);
      expect(created.body).toMatchObject({
        schemas: [USER],
        userName: 'test.user@okta.local',
        externalId: '00ujl29u0le5T6Aj10h7',
        active: true,
        locale: 'en-US',
      });
      expect(created.body).not.toHaveProperty('password');
      expect(created.body).not.toHaveProperty('groups');
      expect(await passwordHash(created.body.id)).toMatch(/^scrypt\$/);

      const again = await lookup('TEST.USER@okta.local');
      expect(again.body).toMatchObject({
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
        Resources: [{ id: created.body.id, userName: 'test.user@okta.local', active: true }],
      });
      expect(again.body.Resources[0]).not.toHaveProperty('password');

      const duplicate = await okta.post('/Users', oktaUser({ externalId: '00ujl29u0le5T6Aj10h8' }));
      expect(duplicate.status).toBe(409);
      expect(duplicate.headers['content-type']).toBe(SCIM_JSON);
      expect(duplicate.body).toMatchObject({
        schemas: [ERROR],
        status: '409',
        scimType: 'uniqueness',
        detail: expect.stringContaining('test.user@okta.local'),
      });
      expect((await lookup('test.user@okta.local')).body.totalResults).toBe(1);
    });

    it('replaces the profile with a PUT of the full user, ignoring the id, meta and groups it echoes', async () => {
      const user = await create();
      const hashBefore = await passwordHash(user.id);
      const res = await okta.put(
        `/Users/${user.id}`,
        oktaUser({
          id: '23a35c27-23d3-4c03-b4c5-6443c09e7173',
          name: { givenName: 'Another', middleName: 'Test', familyName: 'User' },
          displayName: 'Another Test User',
          meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z' },
        }),
      );
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('W/"2"');
      expect(res.body).toMatchObject({
        id: user.id,
        userName: 'test.user@okta.local',
        name: { givenName: 'Another', middleName: 'Test', familyName: 'User' },
        displayName: 'Another Test User',
        active: true,
        meta: { created: user.meta.created, location: user.meta.location, version: 'W/"2"' },
      });
      expect(res.body).not.toHaveProperty('password');
      expect(Date.parse(res.body.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(user.meta.lastModified));
      expect(await passwordHash(user.id)).not.toBe(hashBefore);
      expect(await read(user.id)).toEqual(res.body);
      expect((await scim.get('/Users/23a35c27-23d3-4c03-b4c5-6443c09e7173')).status).toBe(404);
    });

    it('deactivates with PATCH {"op":"replace","value":{"active":false}}, finds the user on reactivation lookup, and reactivates', async () => {
      const user = await create();
      const off = await okta.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ id: user.id, active: false, meta: { version: 'W/"2"' } });
      expect((await read(user.id)).active).toBe(false);
      // Okta retries: the same deactivation again changes nothing, not even the version.
      const retried = await okta.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
      expect(retried.status).toBe(200);
      expect(retried.body).toEqual(off.body);

      const found = await lookup('test.user@okta.local');
      expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: user.id, active: false }] });

      const on = await okta.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: true } }));
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ id: user.id, active: true, meta: { version: 'W/"3"' } });
      expect(await read(user.id)).toEqual(on.body);
      // Deactivation is never a delete: the same row, the same id, the password kept.
      expect(await passwordHash(user.id)).toMatch(/^scrypt\$/);
    });

    it('deactivates and reactivates with a PUT of the full user carrying active', async () => {
      const user = await create();
      const off = await okta.put(`/Users/${user.id}`, oktaUser({ id: user.id, active: false }));
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      const found = await lookup('test.user@okta.local');
      expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: user.id, active: false }] });
      const on = await okta.put(`/Users/${user.id}`, oktaUser({ id: user.id, active: true }));
      expect(on.status).toBe(200);
      expect((await read(user.id)).active).toBe(true);
    });

    it('keeps the stored password when a PUT carries none (password sync off)', async () => {
      const user = await create();
      const before = await passwordHash(user.id);
      const { password: _p, ...withoutPassword } = oktaUser({ id: user.id, displayName: 'No Password Sync' });
      const res = await okta.put(`/Users/${user.id}`, withoutPassword);
      expect(res.status).toBe(200);
      expect(res.body.displayName).toBe('No Password Sync');
      expect(await passwordHash(user.id)).toBe(before);
    });

    it('syncs a password with a no-path PATCH and never returns it', async () => {
      const user = await create();
      const before = await passwordHash(user.id);
      const res = await okta.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { password: 'n3w-Passw0rd' } }));
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('password');
      expect(JSON.stringify(res.body)).not.toContain('n3w-Passw0rd');
      const after = await passwordHash(user.id);
      expect(after).toMatch(/^scrypt\$/);
      expect(after).not.toBe(before);
    });

    it('accepts a custom extension URN in POST and PUT bodies instead of rejecting the user', async () => {
      const custom = { costCenterCode: 'CC-1', isContractor: true };
      const res = await okta.post('/Users', oktaUser({ schemas: [USER, OKTA_CUSTOM], [OKTA_CUSTOM]: custom }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ userName: 'test.user@okta.local', active: true });
      // The response only lists schemas whose attributes it carries (RFC 7643 §3).
      for (const urn of res.body.schemas as string[]) {
        expect(urn === USER || urn in res.body).toBe(true);
      }
      const put = await okta.put(
        `/Users/${res.body.id}`,
        oktaUser({ schemas: [USER, OKTA_CUSTOM], displayName: 'Custom', [OKTA_CUSTOM]: { ...custom, isContractor: false } }),
      );
      expect(put.status).toBe(200);
      expect(put.body.displayName).toBe('Custom');
      const patch = await okta.patch(
        `/Users/${res.body.id}`,
        patchOp({ op: 'replace', value: { active: false, [`${OKTA_CUSTOM}:isContractor`]: true } }),
      );
      expect(patch.status).toBe(200);
      expect(patch.body.active).toBe(false);
    });
  });

  describe('OneLogin and generic SCIM clients', () => {
    const create = async (o: Record<string, unknown> = {}) => {
      const res = await scim.post('/Users', makeUser(o));
      expect(res.status).toBe(201);
      return res.body as ScimUser;
    };

    it('treats add on a single-valued attribute as replace', async () => {
      const user = await create({ title: 'Engineer', name: { givenName: 'Ann', familyName: 'Lee' } });
      const res = await patchOk(
        user.id,
        patchOp(
          { op: 'add', path: 'title', value: 'Lead' },
          { op: 'add', path: 'name.givenName', value: 'Anna' },
          { op: 'add', value: { displayName: 'Anna Lee', 'name.familyName': 'Li' } },
        ),
      );
      expect(res).toMatchObject({ title: 'Lead', displayName: 'Anna Lee', name: { givenName: 'Anna', familyName: 'Li' } });
      expect(await read(user.id)).toEqual(res);
    });

    it('appends on a multi-valued add without duplicating values already there', async () => {
      const user = await create({
        emails: [{ value: 'a@x.io', type: 'work', primary: true }],
        phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
      });
      const res = await patchOk(
        user.id,
        patchOp(
          // The same value again, with the flag as a string and the keys reordered: not a new value.
          {
            op: 'add',
            path: 'emails',
            value: [
              { primary: 'true', type: 'work', value: 'a@x.io' },
              { value: 'b@x.io', type: 'home' },
            ],
          },
          { op: 'add', path: 'emails', value: [{ value: 'b@x.io', type: 'home' }] },
          {
            op: 'add',
            value: {
              phoneNumbers: [
                { value: '+1 555 0100', type: 'work' },
                { value: '+1 555 0199', type: 'mobile' },
              ],
            },
          },
        ),
      );
      expect(res.emails).toEqual([
        { value: 'a@x.io', type: 'work', primary: true },
        { value: 'b@x.io', type: 'home' },
      ]);
      expect(res.phoneNumbers).toEqual([
        { value: '+1 555 0100', type: 'work' },
        { value: '+1 555 0199', type: 'mobile' },
      ]);
      expect(await read(user.id)).toEqual(res);
      expect((await scim.get(`/Users?${filterQuery('emails.value eq "b@x.io"')}`)).body.totalResults).toBe(1);
    });

    it('keeps exactly one primary email when a new primary email is added', async () => {
      const user = await create({
        emails: [
          { value: 'a@x.io', type: 'work', primary: true },
          { value: 'b@x.io', type: 'home' },
        ],
      });
      const res = await patchOk(
        user.id,
        patchOp({ op: 'add', path: 'emails', value: [{ value: 'c@x.io', type: 'other', primary: true }] }),
      );
      expect(res.emails).toEqual([
        { value: 'a@x.io', type: 'work', primary: false },
        { value: 'b@x.io', type: 'home' },
        { value: 'c@x.io', type: 'other', primary: true },
      ]);
      const stored = await read(user.id);
      expect((stored.emails as { primary?: boolean }[]).filter((e) => e.primary === true)).toHaveLength(1);
      expect((await scim.get(`/Users?${filterQuery('emails[primary eq true and value eq "c@x.io"]')}`)).body.totalResults).toBe(1);
      expect((await scim.get(`/Users?${filterQuery('emails[primary eq true and value eq "a@x.io"]')}`)).body.totalResults).toBe(0);

      const again = await patchOk(user.id, patchOp({ op: 'replace', path: 'emails[value eq "b@x.io"].primary', value: true }));
      expect((again.emails as { value: string; primary?: boolean }[]).filter((e) => e.primary === true).map((e) => e.value)).toEqual([
        'b@x.io',
      ]);
    });
  });
});
