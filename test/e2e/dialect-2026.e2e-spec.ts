import request from 'supertest';
import { createTestApp, TestApp } from '../support/app';
import { ENTERPRISE, filterQuery, LIST, makeGroup, makeUser, patchOp, scimClient, USER } from '../support/scim';

/**
 * The 2026 additions of IDP-QUIRKS.md, end to end on PostgreSQL: unquoted filter values (Microsoft Learn's
 * `externalId eq jyoung`, Microsoft's SCIMReferenceCode `sw O` and `eq Employee`), filtered paths on single-valued
 * attributes (Entra since August 2025), and a multi-valued attribute compared directly (PingFederate's `emails eq`).
 */
describe('IdP dialects of 2026', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    token = await t.token();
    scim = scimClient(t, token);
  });

  /** A GET with the query string exactly as the IdP encodes it (Entra uses '+' for spaces). */
  const rawGet = (pathAndQuery: string) => request(t.http).get(`/scim/v2${pathAndQuery}`).set('Authorization', `Bearer ${token}`);

  const create = async (o: Record<string, unknown>) => {
    const res = await scim.post('/Users', makeUser(o));
    expect(res.status).toBe(201);
    return res.body as { id: string; userName: string } & Record<string, unknown>;
  };

  const userNames = (body: { Resources: { userName: string }[] }) => body.Resources.map((u) => u.userName).sort();

  describe('unquoted filter values', () => {
    beforeEach(async () => {
      await create({
        userName: 'jyoung@example.com',
        externalId: 'jyoung',
        userType: 'Employee',
        emails: [{ value: 'a@b.c', type: 'work' }],
      });
      await create({ userName: 'Olivia@example.com', externalId: 'ext-olivia-1', userType: 'Contractor', title: "O'Brien" });
      await create({ userName: 'oscar@example.com', externalId: '123', userType: 'Employee' });
    });

    it("finds the user of Microsoft Learn's example, externalId eq jyoung, as Entra encodes it", async () => {
      const res = await rawGet('/Users?filter=externalId+eq+jyoung');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ schemas: [LIST], totalResults: 1 });
      expect(userNames(res.body)).toEqual(['jyoung@example.com']);
    });

    it.each<[string, string[]]>([
      ['userName sw O', ['Olivia@example.com', 'oscar@example.com']],
      ['userType eq Employee', ['jyoung@example.com', 'oscar@example.com']],
      ['userName eq jyoung@example.com', ['jyoung@example.com']],
      ['userName eq JYOUNG@example.com and userType eq employee', ['jyoung@example.com']],
      ['emails[value eq a@b.c]', ['jyoung@example.com']],
      ['emails[type eq work and value co b.c]', ['jyoung@example.com']],
      ['externalId eq ext-olivia-1', ['Olivia@example.com']],
      ["title eq O'Brien", ['Olivia@example.com']],
      // A bare number is a number, and compares with a string attribute as its text.
      ['externalId eq 123', ['oscar@example.com']],
      ['(userType eq Contractor) or externalId eq jyoung', ['Olivia@example.com', 'jyoung@example.com']],
      ['externalId eq nobody', []],
    ])('%s', async (filter, expected) => {
      const res = await scim.get(`/Users?${filterQuery(filter)}`);
      expect(res.status).toBe(200);
      expect(userNames(res.body)).toEqual(expected.sort());
    });

    it('reads quoted values exactly as before', async () => {
      const res = await scim.get(`/Users?${filterQuery('externalId eq "123"')}`);
      expect(userNames(res.body)).toEqual(['oscar@example.com']);
      const bad = await scim.get(`/Users?${filterQuery("externalId eq 'jyoung'")}`);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ scimType: 'invalidFilter', detail: expect.stringContaining("unexpected character '''") });
    });

    it('finds a team by an unquoted displayName, and removes a member by an unquoted id', async () => {
      const member = await create({});
      const other = await create({});
      const created = await scim.post(
        '/Groups',
        makeGroup({ displayName: 'Engineering', members: [{ value: member.id }, { value: other.id }] }),
      );
      expect(created.status).toBe(201);
      const found = await rawGet('/Groups?filter=displayName+eq+Engineering&excludedAttributes=members');
      expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: created.body.id, displayName: 'Engineering' }] });
      const removed = await scim.patch(`/Groups/${created.body.id}`, patchOp({ op: 'Remove', path: `members[value eq ${member.id}]` }));
      expect(removed.status).toBe(204);
      const after = await scim.get(`/Groups/${created.body.id}`);
      expect(after.body.members.map((m: { value: string }) => m.value)).toEqual([other.id]);
    });
  });

  describe('filtered paths on single-valued attributes (Entra since August 2025)', () => {
    it('applies name[givenName eq "x"].familyName as name.familyName, whatever the given name', async () => {
      const u = await create({ name: { givenName: 'Barbara', familyName: 'Jensen' } });
      const res = await scim.patch(
        `/Users/${u.id}`,
        patchOp(
          { op: 'Replace', path: 'name[givenName eq "Barbara"].familyName', value: 'Jensen-Young' },
          { op: 'Add', path: 'name[givenName eq "someone else"].middleName', value: 'Jane' },
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.name).toEqual({ givenName: 'Barbara', familyName: 'Jensen-Young', middleName: 'Jane' });
      expect((await scim.get(`/Users/${u.id}`)).body.name).toEqual(res.body.name);
    });

    it('applies active[value eq "true"] and a filtered extension attribute as the plain path', async () => {
      const u = await create({ active: true });
      const res = await scim.patch(
        `/Users/${u.id}`,
        patchOp(
          { op: 'Replace', path: 'active[value eq "true"]', value: 'False' },
          { op: 'Replace', path: `${ENTERPRISE}:manager[value eq "old"].value`, value: 'm-2' },
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ active: false, schemas: [USER, ENTERPRISE], [ENTERPRISE]: { manager: { value: 'm-2' } } });
    });

    it('still answers a malformed filtered path with 400 invalidPath', async () => {
      const u = await create({});
      const res = await scim.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', path: 'name[givenName eq].familyName', value: 'x' }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ scimType: 'invalidPath' });
    });

    it('filters with name[givenName eq "Barbara"] as name.givenName eq "Barbara"', async () => {
      await create({ userName: 'babs@example.com', name: { givenName: 'Barbara', familyName: 'Jensen' } });
      await create({ userName: 'bob@example.com', name: { givenName: 'Bob', familyName: 'Jensen' } });
      for (const filter of ['name[givenName eq "Barbara"]', 'name[givenName eq barbara and familyName eq Jensen]']) {
        const res = await scim.get(`/Users?${filterQuery(filter)}`);
        expect({ filter, users: userNames(res.body) }).toEqual({ filter, users: ['babs@example.com'] });
      }
    });
  });

  describe('a multi-valued attribute compared directly (PingFederate)', () => {
    beforeEach(async () => {
      await create({
        userName: 'multi@example.com',
        emails: [
          { value: 'Work@Example.com', type: 'work', primary: true },
          { value: 'a@b.c', type: 'home' },
        ],
      });
      await create({ userName: 'single@example.com', emails: [{ value: 'single@example.org', type: 'work' }] });
      await create({ userName: 'none@example.com', emails: [] });
    });

    it.each<[string, string[]]>([
      ['emails eq "a@b.c"', ['multi@example.com']],
      ['emails eq "work@example.COM"', ['multi@example.com']],
      ['emails eq a@b.c', ['multi@example.com']],
      ['emails co "example"', ['multi@example.com', 'single@example.com']],
      ['emails ew ".org"', ['single@example.com']],
      ['emails eq "nobody@example.com"', []],
      ['not (emails eq "a@b.c")', ['none@example.com', 'single@example.com']],
    ])('%s compares each value', async (filter, expected) => {
      const res = await scim.get(`/Users?${filterQuery(filter)}`);
      expect(res.status).toBe(200);
      expect(userNames(res.body)).toEqual(expected.sort());
    });

    it('does the same through POST /Users/.search', async () => {
      const res = await scim.post('/Users/.search', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: 'emails eq "a@b.c"',
      });
      expect(res.status).toBe(200);
      expect(userNames(res.body)).toEqual(['multi@example.com']);
    });
  });
});
