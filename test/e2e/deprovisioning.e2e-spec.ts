import request from 'supertest';
import { createTestApp, TestApp } from '../support/app';
import { admin, introspect, isLive, issueKey, verify } from '../support/keys';
import { filterQuery, makeGroup, makeUser, patchOp, scimClient } from '../support/scim';

/**
 * DESIGN.md: "when someone leaves, their access ends at once". Every way an identity provider sets `active` false
 * suspends the user's API keys in the transaction that deactivates it, and both checks refuse them on the next call.
 */
describe('deprovisioning', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  let tokenId: string;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    const issued = await request(t.http).post('/admin/scim-tokens').set(admin).send({ name: 'Entra ID' });
    tokenId = issued.body.id as string;
    scim = scimClient(t, issued.body.token as string);
  });

  const newUser = async (o: Record<string, unknown> = {}) => {
    const res = await scim.post('/Users', makeUser(o));
    expect(res.status).toBe(201);
    return res.body as Record<string, unknown> & { id: string; userName: string };
  };
  const keysOf = async (userId: string) =>
    (await request(t.http).get(`/admin/users/${userId}/api-keys`).set(admin)).body as {
      id: string;
      status: string;
      statusChangedBy: string | null;
    }[];

  const DEACTIVATIONS: [string, (user: Record<string, unknown> & { id: string }) => request.Test][] = [
    [
      'PATCH replace with a path (Okta, Entra)',
      (u) => scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'active', value: false })),
    ],
    ['PATCH replace without a path (Entra)', (u) => scim.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', value: { active: false } }))],
    [
      'PATCH with the string "False" (Entra)',
      (u) => scim.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })),
    ],
    ['PUT with active false (Okta)', (u) => scim.put(`/Users/${u.id}`, { ...u, active: false })],
    ['PATCH remove active', (u) => scim.patch(`/Users/${u.id}`, patchOp({ op: 'remove', path: 'active' }))],
    ['PATCH active null', (u) => scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'active', value: null }))],
  ];

  it.each(DEACTIVATIONS)('%s suspends every key, and both checks refuse them on the very next call', async (_how, deactivate) => {
    const user = await newUser();
    const keys = [await issueKey(t, user.id), await issueKey(t, user.id, { name: 'ci', expiresInDays: 30 })];
    for (const k of keys) {
      expect(await isLive(t, k.key)).toBe(true); // cached now
      expect((await verify(t, k.key)).status).toBe(200);
    }
    const res = await deactivate(user);
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    for (const k of keys) {
      expect((await introspect(t, k.key)).body).toEqual({ active: false });
      expect((await verify(t, k.key)).status).toBe(401);
    }
    expect((await keysOf(user.id)).map((k) => [k.status, k.statusChangedBy])).toEqual([
      ['suspended', `scim-token:${tokenId}`],
      ['suspended', `scim-token:${tokenId}`],
    ]);
  });

  it('deactivates and reactivates through Bulk (PATCH and PUT operations go through the same service), one audit record per operation', async () => {
    const a = await newUser();
    const b = await newUser();
    const ka = await issueKey(t, a.id);
    const kb = await issueKey(t, b.id);
    const bulk = (Operations: unknown[]) =>
      scim.post('/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations });
    const off = await bulk([
      { method: 'PATCH', path: `/Users/${a.id}`, data: patchOp({ op: 'Replace', path: 'active', value: 'False' }) },
      { method: 'PUT', path: `/Users/${b.id}`, data: { ...b, active: false } },
      {
        method: 'PATCH',
        path: '/Users/2819c223-7f76-453a-919d-413861904646',
        data: patchOp({ op: 'replace', path: 'active', value: false }),
      },
    ]);
    expect(off.status).toBe(200);
    expect(off.body.Operations.map((o: { status: string }) => o.status)).toEqual(['200', '200', '404']);
    expect(await isLive(t, ka.key)).toBe(false);
    expect((await verify(t, kb.key)).status).toBe(401);
    await bulk([{ method: 'PATCH', path: `/Users/${a.id}`, data: patchOp({ op: 'replace', path: 'active', value: true }) }]);
    expect(await isLive(t, ka.key)).toBe(true);
    expect(await isLive(t, kb.key)).toBe(false);

    const records = (await request(t.http).get('/admin/audit?count=20').set(admin)).body.records as {
      method: string;
      path: string;
      status: number;
      resourceId: string | null;
      requestId: string;
      summary: Record<string, unknown> | null;
    }[];
    const [bulkBack, reactivated, bulkOff, missing, putOff, patchOff] = records; // newest first: a request after its operations
    expect(bulkBack).toMatchObject({
      method: 'POST',
      path: '/scim/v2/Bulk',
      status: 200,
      summary: { operations: 1, succeeded: 1, failed: 0 },
    });
    expect(reactivated).toMatchObject({ method: 'PATCH', resourceId: a.id, summary: { attributes: ['active'], keysRestored: 1 } });
    expect(bulkOff).toMatchObject({ path: '/scim/v2/Bulk', summary: { operations: 3, succeeded: 2, failed: 1, skipped: 0 } });
    expect(patchOff).toMatchObject({ method: 'PATCH', path: `/scim/v2/Users/${a.id}`, status: 200, summary: { keysSuspended: 1 } });
    expect(putOff).toMatchObject({ method: 'PUT', path: `/scim/v2/Users/${b.id}`, status: 200, summary: { keysSuspended: 1 } });
    expect(missing).toMatchObject({
      method: 'PATCH',
      status: 404,
      resourceType: 'User',
      resourceId: '2819c223-7f76-453a-919d-413861904646',
    });
    expect(new Set([patchOff, putOff, missing, bulkOff].map((r) => r?.requestId)).size).toBe(1);
  });

  it('keeps a deactivated user visible: GET, filters, and its teams', async () => {
    const user = await newUser();
    const team = (await scim.post('/Groups', makeGroup({ members: [{ value: user.id }] }))).body;
    await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    const read = await scim.get(`/Users/${user.id}`);
    expect(read.body).toMatchObject({ active: false, groups: [{ value: team.id }] });
    const found = await scim.get(`/Users?${filterQuery(`userName eq "${user.userName}"`)}`);
    expect(found.body.Resources).toEqual([expect.objectContaining({ id: user.id, active: false })]);
    expect((await scim.get(`/Users?${filterQuery('active eq false')}`)).body.totalResults).toBe(1);
    expect((await scim.get(`/Groups/${team.id}`)).body.members).toEqual([expect.objectContaining({ value: user.id })]);
  });

  it('reactivation restores exactly the keys deactivation suspended: not those revoked or expired meanwhile', async () => {
    const user = await newUser();
    const kept = await issueKey(t, user.id, { name: 'kept' });
    const revokedBefore = await issueKey(t, user.id, { name: 'revoked before' });
    const revokedWhileOff = await issueKey(t, user.id, { name: 'revoked while off' });
    const expiresWhileOff = await issueKey(t, user.id, { name: 'expires while off' });
    await request(t.http).delete(`/admin/api-keys/${revokedBefore.id}`).set(admin);
    await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    await request(t.http).delete(`/admin/api-keys/${revokedWhileOff.id}`).set(admin);
    await t.sql(`UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expiresWhileOff.id]);
    // Okta: PUT without active keeps the user off, and its keys suspended.
    const put = await scim.put(`/Users/${user.id}`, { ...makeUser(), userName: user.userName, active: undefined });
    expect(put.body.active).toBe(false);
    expect(await isLive(t, kept.key)).toBe(false);

    const back = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }));
    expect(back.body.active).toBe(true);
    expect(await isLive(t, kept.key)).toBe(true);
    expect((await verify(t, kept.key)).status).toBe(200);
    for (const k of [revokedBefore, revokedWhileOff, expiresWhileOff]) {
      expect(await isLive(t, k.key)).toBe(false);
    }
    expect(Object.fromEntries((await keysOf(user.id)).map((k) => [k.id, k.status]))).toEqual({
      [kept.id]: 'active',
      [revokedBefore.id]: 'revoked',
      [revokedWhileOff.id]: 'revoked',
      [expiresWhileOff.id]: 'expired',
    });
  });

  it('reactivation by PUT with active true restores the keys too', async () => {
    const user = await newUser();
    const k = await issueKey(t, user.id);
    await scim.put(`/Users/${user.id}`, { ...user, active: false });
    expect(await isLive(t, k.key)).toBe(false);
    await scim.put(`/Users/${user.id}`, { ...user, active: true });
    expect(await isLive(t, k.key)).toBe(true);
  });

  it('DELETE removes the user, its memberships and every key in one transaction; the keys are refused at once', async () => {
    const user = await newUser();
    const team = (await scim.post('/Groups', makeGroup({ members: [{ value: user.id }] }))).body;
    const keys = [await issueKey(t, user.id), await issueKey(t, user.id)];
    await request(t.http).delete(`/admin/api-keys/${keys[1]?.id}`).set(admin);
    expect(await isLive(t, keys[0]?.key as string)).toBe(true);
    expect((await scim.delete(`/Users/${user.id}`)).status).toBe(204);
    for (const k of keys) {
      expect(await isLive(t, k.key)).toBe(false);
      expect((await verify(t, k.key)).status).toBe(401);
    }
    expect(await t.sql('SELECT id FROM api_keys WHERE user_id = $1', [user.id])).toEqual([]);
    expect(await t.sql('SELECT 1 FROM group_members WHERE user_id = $1', [user.id])).toEqual([]);
    expect((await scim.get(`/Groups/${team.id}`)).body.members).toBeUndefined();
    expect((await request(t.http).get(`/admin/users/${user.id}/api-keys`).set(admin)).status).toBe(404);
  });

  it('a write that leaves active as it is leaves the keys alone', async () => {
    const user = await newUser();
    const k = await issueKey(t, user.id);
    await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Renamed' }));
    await scim.put(`/Users/${user.id}`, { ...user, title: 'Lead' });
    await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: true }));
    expect(await isLive(t, k.key)).toBe(true);
    expect((await keysOf(user.id))[0]).toMatchObject({ status: 'active', statusChangedBy: null });
  });

  it('never leaves a live key for an inactive user when a deactivation races a key creation', async () => {
    const pairs = 30;
    const outcomes = await Promise.all(
      Array.from({ length: pairs }, async (_, i) => {
        const user = await newUser();
        const deactivate = () => scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
        const create = () => request(t.http).post(`/admin/users/${user.id}/api-keys`).set(admin).send({ name: 'race' });
        // Alternate which request leaves first, so both orders of arrival happen.
        const [off, created] =
          i % 2 === 0 ? await Promise.all([deactivate(), create()]) : (await Promise.all([create(), deactivate()])).reverse();
        expect(off?.status).toBe(200);
        expect([201, 409]).toContain(created?.status);
        if (created?.status === 201) {
          expect(await isLive(t, created.body.key as string)).toBe(false);
        }
        return { userId: user.id, status: created?.status };
      }),
    );
    const live = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.status = 'active' AND NOT u.active`,
    );
    expect(live).toEqual([{ n: 0 }]);
    expect(outcomes).toHaveLength(pairs);
  });
});
