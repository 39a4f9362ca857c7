import { CursorCodec } from '../../src/scim';
import { createTestApp, TestApp } from '../support/app';
import { ENTERPRISE, ERROR, filterQuery, LIST, makeGroup, makeUser, scimClient } from '../support/scim';

interface Page {
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
  Resources: { id: string; userName: string; title?: string }[];
}

describe('lists: sorting and cursor paging (RFC 7644 §3.4.2.3, RFC 9865)', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    t = await createTestApp({ SCIM_MAX_RESULTS: '50' });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    scim = scimClient(t, await t.token());
  });

  const create = async (o: Record<string, unknown>) => {
    const res = await scim.post('/Users', makeUser(o));
    expect(res.status).toBe(201);
    return res.body as { id: string; userName: string };
  };
  const list = async (query: string): Promise<Page> => {
    const res = await scim.get(`/Users?${query}`);
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([LIST]);
    return res.body as Page;
  };
  const names = (p: Page) => p.Resources.map((r) => r.userName);

  describe('sorting', () => {
    it('sorts by userName case-insensitively, both ways, with totalResults and startIndex', async () => {
      for (const userName of ['bob@x.io', 'Alice@x.io', 'carol@x.io', 'Dave@x.io']) {
        await create({ userName });
      }
      expect(names(await list('sortBy=userName'))).toEqual(['Alice@x.io', 'bob@x.io', 'carol@x.io', 'Dave@x.io']);
      const desc = await list('sortBy=USERNAME&sortOrder=Descending&count=2&startIndex=2');
      expect(names(desc)).toEqual(['carol@x.io', 'bob@x.io']);
      expect(desc).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
    });

    it('breaks ties on id and puts users without a value last, ascending and descending', async () => {
      const a = await create({ title: 'Engineer' });
      const b = await create({ title: 'Engineer' });
      const none = await create({});
      const c = await create({ title: 'Architect' });
      const tie = [a.id, b.id].sort();
      expect((await list('sortBy=title')).Resources.map((r) => r.id)).toEqual([c.id, ...tie, none.id]);
      expect((await list('sortBy=title&sortOrder=descending')).Resources.map((r) => r.id)).toEqual([...tie.reverse(), c.id, none.id]);
    });

    it('sorts by a sub-attribute, an extension attribute and meta.lastModified', async () => {
      const z = await create({ name: { familyName: 'Zimmer' }, [ENTERPRISE]: { department: 'Sales' } });
      const m = await create({ name: { familyName: 'Meyer' }, [ENTERPRISE]: { department: 'eng' } });
      expect((await list('sortBy=name.familyName')).Resources.map((r) => r.id)).toEqual([m.id, z.id]);
      expect((await list(`sortBy=${ENTERPRISE}:department`)).Resources.map((r) => r.id)).toEqual([m.id, z.id]);
      expect((await list('sortBy=meta.lastModified&sortOrder=descending')).Resources.map((r) => r.id)).toEqual([m.id, z.id]);
    });

    it('sorts groups by displayName', async () => {
      for (const displayName of ['beta', 'Alpha', 'gamma']) {
        expect((await scim.post('/Groups', makeGroup({ displayName }))).status).toBe(201);
      }
      const res = await scim.get('/Groups?sortBy=displayName&excludedAttributes=members');
      expect(res.body.Resources.map((g: { displayName: string }) => g.displayName)).toEqual(['Alpha', 'beta', 'gamma']);
    });

    it.each([
      ['emails', /cannot be sorted/],
      ['name', /cannot be sorted/],
      ['x509Certificates.value', /cannot be sorted/],
      ['groups', /cannot be sorted/],
      ['password', /cannot be sorted/],
      ['meta.location', /cannot be sorted/],
      ['favouriteColour', /not an attribute/],
    ])('answers 400 invalidValue for sortBy=%s', async (sortBy, detail) => {
      const res = await scim.get(`/Users?sortBy=${encodeURIComponent(sortBy)}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidValue', detail: expect.stringMatching(detail) });
    });

    it('answers 400 invalidValue for a sortOrder that is neither ascending nor descending', async () => {
      expect((await scim.get('/Users?sortBy=userName&sortOrder=up')).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    });
  });

  describe('cursor paging', () => {
    /** Every page from an empty cursor on, following nextCursor. */
    const walk = async (query: string, between?: (pageNo: number) => Promise<void>) => {
      const pages: Page[] = [];
      let cursor = '';
      for (let i = 0; i < 100; i++) {
        const page = await list(`${query}&cursor=${cursor}`);
        pages.push(page);
        if (!page.nextCursor) {
          return pages;
        }
        cursor = page.nextCursor;
        await between?.(i);
      }
      throw new Error('more than 100 pages');
    };

    it('walks forward and back in the requested order, with totalResults on every page and no nextCursor on the last', async () => {
      for (let i = 0; i < 7; i++) {
        await create({ userName: `u${i}@x.io` });
      }
      const pages = await walk('count=3&sortBy=userName');
      expect(pages.map(names)).toEqual([['u0@x.io', 'u1@x.io', 'u2@x.io'], ['u3@x.io', 'u4@x.io', 'u5@x.io'], ['u6@x.io']]);
      expect(pages.every((p) => p.totalResults === 7 && p.startIndex === undefined)).toBe(true);
      expect(pages[0]?.previousCursor).toBeUndefined();
      const back = await list(`count=3&sortBy=userName&cursor=${pages[2]?.previousCursor}`);
      expect(names(back)).toEqual(['u3@x.io', 'u4@x.io', 'u5@x.io']);
      expect(names(await list(`count=3&sortBy=userName&cursor=${back.nextCursor}`))).toEqual(['u6@x.io']);
    });

    it('stays correct while users are created and deleted between pages: each user that lives throughout is seen once', async () => {
      const initial: { id: string }[] = [];
      for (let i = 0; i < 20; i++) {
        initial.push(await create({ title: i % 2 ? 'odd' : 'even' }));
      }
      const deleted = new Set<string>();
      const pages = await walk(`count=4&${filterQuery('title pr')}`, async (pageNo) => {
        // Delete a user not yet seen (the last one), and create two more, which sort after every existing one.
        const victim = initial[initial.length - 1 - pageNo];
        if (victim && !deleted.has(victim.id)) {
          expect((await scim.delete(`/Users/${victim.id}`)).status).toBe(204);
          deleted.add(victim.id);
        }
        await create({ title: 'new' });
      });
      const seen = pages.flatMap((p) => p.Resources.map((r) => r.id));
      expect(new Set(seen).size).toBe(seen.length);
      for (const u of initial.filter((u) => !deleted.has(u.id))) {
        expect(seen).toContain(u.id);
      }
      for (const id of deleted) {
        expect(seen).not.toContain(id);
      }
    });

    it('takes the cursor and sortBy in a POST /.search body too', async () => {
      for (let i = 0; i < 3; i++) {
        await create({ userName: `s${i}@x.io` });
      }
      const body = {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        sortBy: 'userName',
        sortOrder: 'descending',
        cursor: '',
        count: 2,
      };
      const first = await scim.post('/Users/.search', body);
      expect(first.status).toBe(200);
      expect(names(first.body as Page)).toEqual(['s2@x.io', 's1@x.io']);
      const second = await scim.post('/Users/.search', { ...body, cursor: first.body.nextCursor });
      expect(names(second.body as Page)).toEqual(['s0@x.io']);
    });

    it('refuses a tampered or foreign cursor with invalidCursor, an old one with expiredCursor, and count=0 with invalidCount', async () => {
      await create({});
      await create({});
      const page = await list('count=1&cursor');
      const next = page.nextCursor as string;
      const error = async (query: string, scimType: string) => {
        const res = await scim.get(`/Users?${query}`);
        expect({ query, status: res.status, scimType: res.body.scimType }).toEqual({ query, status: 400, scimType });
      };
      await error(`count=1&cursor=x${next}`, 'invalidCursor');
      await error(`count=1&cursor=${next}&${filterQuery('userName pr')}`, 'invalidCursor');
      await error(`count=1&cursor=${next}&sortBy=userName`, 'invalidCursor');
      const [secret] = await t.sql<{ value: string }>(`SELECT value FROM settings WHERE name = 'cursor_key'`);
      const query = JSON.stringify(['User', '', '', false]);
      const old = new CursorCodec(secret?.value ?? '', 3600).encode(
        query,
        { keys: ['2000-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000'], backwards: false },
        Date.now() - 7200_000,
      );
      await error(`count=1&cursor=${old}`, 'expiredCursor');
      await error('count=0&cursor', 'invalidCount');
    });
  });

  it('counts exactly without a filter, also after deletes (row counters)', async () => {
    const users: { id: string }[] = [];
    for (let i = 0; i < 5; i++) {
      users.push(await create({}));
    }
    for (const u of users.slice(0, 2)) {
      expect((await scim.delete(`/Users/${u.id}`)).status).toBe(204);
    }
    expect((await list('count=1')).totalResults).toBe(3);
    expect((await list('count=0')).totalResults).toBe(3);
    expect((await list(`count=1&${filterQuery('userName pr')}`)).totalResults).toBe(3);
  });

  it('advertises sorting and both pagination methods in ServiceProviderConfig (RFC 9865 §4)', async () => {
    const res = await scim.get('/ServiceProviderConfig');
    expect(res.body).toMatchObject({
      sort: { supported: true },
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'index',
        defaultPageSize: 50,
        maxPageSize: 50,
        cursorTimeout: 3600,
      },
    });
  });
});
