import { createTestApp, TestApp } from '../support/app';
import { makeGroup, patchOp, scimClient } from '../support/scim';

describe('Groups with SCIM_UNKNOWN_MEMBERS=reject', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ SCIM_UNKNOWN_MEMBERS: 'reject' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it('rejects unknown member ids with 400 invalidValue naming them, and changes nothing', async () => {
    const client = scimClient(t, await t.token());
    const g = (await client.post('/Groups', makeGroup())).body as { id: string; meta: { version: string } };
    const ghost = '22222222-2222-4222-8222-222222222222';
    const res = await client.patch(
      `/Groups/${g.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: ghost }, { value: 'someone@example.com' }] }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining(ghost) });
    expect(res.body.detail).toContain('someone@example.com');
    expect((await client.get(`/Groups/${g.id}`)).body.meta.version).toBe(g.meta.version);
    expect(await t.sql('SELECT 1 FROM users')).toHaveLength(0);
  });
});
