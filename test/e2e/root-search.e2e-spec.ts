import { createTestApp, TestApp } from '../support/app';
import { ERROR, GROUP, LIST, makeGroup, makeUser, scimClient, USER } from '../support/scim';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** POST /scim/v2/.search: one search over every resource type (RFC 7644 §3.4.3). */
describe('root search', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  const search = (body: object) => scim.post('/.search', { schemas: [SEARCH], ...body });

  beforeAll(async () => {
    t = await createTestApp({ SCIM_MAX_RESULTS: '4' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    scim = scimClient(t, await t.token());
    for (const name of ['ann', 'bob', 'cy']) {
      expect((await scim.post('/Users', makeUser({ userName: `${name}@x.io`, displayName: `Team ${name}` }))).status).toBe(201);
    }
    for (const name of ['ops', 'dev']) {
      expect((await scim.post('/Groups', makeGroup({ displayName: `Team ${name}` }))).status).toBe(201);
    }
  });

  const kinds = (res: { body: { Resources: { schemas: string[] }[] } }) =>
    res.body.Resources.map((r) => (r.schemas.includes(USER) ? 'User' : 'Group'));

  it('lists Users then Groups, paged across both, never more than maxResults', async () => {
    const first = await search({});
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ schemas: [LIST], totalResults: 5, startIndex: 1, itemsPerPage: 4 });
    expect(kinds(first)).toEqual(['User', 'User', 'User', 'Group']);
    const second = await search({ startIndex: 3, count: 2 });
    expect(kinds(second)).toEqual(['User', 'Group']);
    expect(second.body).toMatchObject({ totalResults: 5, startIndex: 3 });
  });

  it('applies a filter to each type that has its attributes, and sorts where the type has the sort attribute', async () => {
    const both = await search({ filter: 'displayName sw "Team"', sortBy: 'displayName', sortOrder: 'descending' });
    expect(both.body.totalResults).toBe(5);
    expect(both.body.Resources.map((r: { displayName: string }) => r.displayName)).toEqual(['Team cy', 'Team bob', 'Team ann', 'Team ops']);
    const usersOnly = await search({ filter: 'userName eq "bob@x.io"' });
    expect(usersOnly.body).toMatchObject({ totalResults: 1, Resources: [{ userName: 'bob@x.io' }] });
    const sortedUsers = await search({ sortBy: 'userName', sortOrder: 'descending', startIndex: 2 });
    expect(sortedUsers.body.Resources.map((r: { userName?: string; displayName: string }) => r.userName ?? r.displayName)).toEqual([
      'bob@x.io',
      'ann@x.io',
      'Team ops',
      'Team dev',
    ]);
  });

  it('walks every resource with cursors, type by type', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const page = await search({ cursor, count: 2 });
      expect(page.status).toBe(200);
      expect(page.body.totalResults).toBe(5);
      seen.push(...kinds(page));
      if (!page.body.nextCursor) {
        break;
      }
      cursor = page.body.nextCursor as string;
    }
    expect(seen).toEqual(['User', 'User', 'User', 'Group', 'Group']);
    expect((await search({ cursor: 'Nothing~x' })).body).toMatchObject({ status: '400', scimType: 'invalidCursor' });
  });

  it('answers a filter no type can evaluate with 400 invalidFilter', async () => {
    const res = await search({ filter: 'favouriteColour eq "blue"' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidFilter' });
    expect((await search({ filter: 'userName eq' })).body.scimType).toBe('invalidFilter');
  });

  it('returns groups with their members', async () => {
    const user = (await scim.get('/Users?count=1')).body.Resources[0] as { id: string };
    const team = await scim.post('/Groups', { schemas: [GROUP], displayName: 'Members', members: [{ value: user.id }] });
    expect(team.status).toBe(201);
    const res = await search({ filter: 'displayName eq "Members"' });
    expect(res.body.Resources[0]).toMatchObject({ displayName: 'Members', members: [{ value: user.id, type: 'User' }] });
  });
});
