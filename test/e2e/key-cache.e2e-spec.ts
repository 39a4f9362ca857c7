import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { ChangeFeed } from '../../src/database/change-feed';
import { createTestApp, TestApp } from '../support/app';
import { admin, introspect, issueKey, verify } from '../support/keys';
import { makeGroup, makeUser, patchOp, scimClient } from '../support/scim';

/**
 * Key answers are cached per instance; DESIGN.md allows it only if every change that alters an answer counts on every
 * instance within 1 s. Two instances share one database here, as two servers behind a load balancer would: each
 * change goes through A (which must be exact at once) while B, whose cache is warm, is polled.
 */
describe('key answer cache across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let scim: ReturnType<typeof scimClient>;

  beforeAll(async () => {
    a = await createTestApp({ SCIM_ADMIN_GROUP: 'Admins' });
    b = await createTestApp({ SCIM_ADMIN_GROUP: 'Admins' });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(async () => {
    await a.reset();
    scim = scimClient(a, await a.token());
  });

  /** A user in the Admins team with a key, whose answer B has cached. */
  const warm = async () => {
    const user = (await scim.post('/Users', makeUser())).body as { id: string };
    const team = (await scim.post('/Groups', makeGroup({ displayName: 'Admins', members: [{ value: user.id }] }))).body as { id: string };
    const k = await issueKey(a, user.id);
    for (let i = 0; i < 3; i++) {
      expect((await introspect(b, k.key)).body).toMatchObject({ active: true, role: 'admin' });
    }
    return { user, team, k };
  };

  /** Milliseconds until B's answer satisfies `done`, polling every 10 ms for up to 3 s. */
  const until = async (done: () => Promise<boolean>) => {
    const start = Date.now();
    while (Date.now() - start < 3000) {
      if (await done()) {
        return Date.now() - start;
      }
      await sleep(10);
    }
    return Infinity;
  };
  const refusedOnB = (key: string) => until(async () => (await introspect(b, key)).body.active === false);

  it('refuses a deactivated user’s key on the other instance within 1 s, and on the writing one at once', async () => {
    const { user, k } = await warm();
    expect((await verify(b, k.key)).status).toBe(200);
    await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    expect((await introspect(a, k.key)).body).toEqual({ active: false });
    expect(await refusedOnB(k.key)).toBeLessThan(1000);
    expect((await verify(b, k.key)).status).toBe(401);
  });

  it('refuses a revoked key, and a deleted user’s key, within 1 s', async () => {
    const first = await warm();
    await request(a.http).delete(`/admin/api-keys/${first.k.id}`).set(admin);
    expect(await refusedOnB(first.k.key)).toBeLessThan(1000);
    const second = await warm();
    await scim.delete(`/Users/${second.user.id}`);
    expect(await refusedOnB(second.k.key)).toBeLessThan(1000);
  });

  it('drops the admin role within 1 s when the user leaves the admin team, or the team is renamed or deleted', async () => {
    const roleOnB = (key: string) => async () => (await introspect(b, key)).body.role !== 'admin';
    const left = await warm();
    await scim.patch(`/Groups/${left.team.id}`, patchOp({ op: 'remove', path: `members[value eq "${left.user.id}"]` }));
    expect((await introspect(a, left.k.key)).body.role).toBe('viewer');
    expect(await until(roleOnB(left.k.key))).toBeLessThan(1000);

    await a.reset();
    scim = scimClient(a, await a.token());
    const renamed = await warm();
    await scim.patch(`/Groups/${renamed.team.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Former admins' }));
    expect(await until(roleOnB(renamed.k.key))).toBeLessThan(1000);

    await a.reset();
    scim = scimClient(a, await a.token());
    const deleted = await warm();
    await scim.delete(`/Groups/${deleted.team.id}`);
    expect(await until(roleOnB(deleted.k.key))).toBeLessThan(1000);
  });

  it('follows changes made directly in the database within 1 s (the triggers, not the app, notify)', async () => {
    const { user, k } = await warm();
    await a.sql('UPDATE users SET role = $2 WHERE id = $1', [user.id, 'member']);
    await a.sql('DELETE FROM group_members WHERE user_id = $1', [user.id]);
    expect(await until(async () => (await introspect(b, k.key)).body.role === 'member')).toBeLessThan(1000);
    await a.sql('UPDATE users SET active = false WHERE id = $1', [user.id]);
    expect(await refusedOnB(k.key)).toBeLessThan(1000);
  });

  it('caches answers, but never for more than 1 s: a change no trigger reports still counts within the TTL', async () => {
    const { user, k } = await warm();
    // Triggers off for this one transaction (superuser only): no notification reaches either instance.
    await a.sql(`BEGIN; SET LOCAL session_replication_role = replica; UPDATE users SET active = false WHERE id = '${user.id}'; COMMIT;`);
    expect((await introspect(b, k.key)).body.active).toBe(true); // still the cached answer
    expect(await refusedOnB(k.key)).toBeLessThan(1100);
  });

  it('stops caching while the invalidation feed is down, so a change counts on the very next request', async () => {
    const { user, k } = await warm();
    // B's feed calls every subscriber when it loses its connection: wait for that, however busy the machine is.
    let lost = 0;
    b.app.get(ChangeFeed).subscribe('test: feed lost', () => lost++); // a topic no trigger notifies
    await a.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'scim-server changes'`);
    expect(await until(async () => lost > 0)).toBeLessThan(3000);
    await a.sql('UPDATE users SET active = false WHERE id = $1', [user.id]);
    expect((await introspect(b, k.key)).body).toEqual({ active: false });
  });
});
