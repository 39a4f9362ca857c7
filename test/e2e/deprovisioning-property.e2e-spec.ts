import fc from 'fast-check';
import request from 'supertest';
import { ChangeFeed, Topic } from '../../src/database/change-feed';
import { createTestApp, TestApp } from '../support/app';
import { admin, createKey, isLive } from '../support/keys';
import { makeUser, patchOp, scimClient } from '../support/scim';

/**
 * Random sequences of SCIM calls (create, deactivate and reactivate in every IdP dialect, PUT, DELETE) and admin calls
 * (create and revoke keys, time passing past a key's expiry), checking after every step through introspection that a
 * key is live exactly when its user exists and is active and the key is neither revoked nor expired.
 */
type Deactivation = 'path' | 'no-path' | 'entra-string' | 'put' | 'remove';
type Reactivation = 'path' | 'entra-string' | 'put';
type Step =
  | { kind: 'createUser'; active: boolean }
  | { kind: 'deactivate'; user: number; via: Deactivation }
  | { kind: 'reactivate'; user: number; via: Reactivation }
  | { kind: 'putKeepingActive'; user: number }
  | { kind: 'deleteUser'; user: number }
  | { kind: 'createKey'; user: number }
  | { kind: 'revokeKey'; key: number }
  | { kind: 'expireKey'; key: number };

/** Counted from the most recent user or key: steps then pile up on the same few, where the interesting sequences are. */
const index = fc.nat({ max: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('createUser' as const), active: fc.boolean() }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deactivate' as const),
      user: index,
      via: fc.constantFrom<Deactivation>('path', 'no-path', 'entra-string', 'put', 'remove'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reactivate' as const),
      user: index,
      via: fc.constantFrom<Reactivation>('path', 'entra-string', 'put'),
    }),
  },
  fc.record({ kind: fc.constant('putKeepingActive' as const), user: index }),
  fc.record({ kind: fc.constant('deleteUser' as const), user: index }),
  { arbitrary: fc.record({ kind: fc.constant('createKey' as const), user: index }), weight: 3 },
  fc.record({ kind: fc.constant('revokeKey' as const), key: index }),
  fc.record({ kind: fc.constant('expireKey' as const), key: index }),
);

interface ModelUser {
  id: string;
  body: Record<string, unknown>;
  exists: boolean;
  active: boolean;
}
interface ModelKey {
  id: string;
  key: string;
  user: ModelUser;
  revoked: boolean;
  expired: boolean;
}

describe('deprovisioning, property', () => {
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  let notified = 0;

  beforeAll(async () => {
    t = await createTestApp();
    t.app.get(ChangeFeed).subscribe(Topic.apiKey, () => notified++);
  });
  afterAll(() => t.close());

  /** `expire` writes in SQL, as time would: wait until the trigger's notification has cleared the cache. */
  async function untilNotified(before: number) {
    const deadline = Date.now() + 2000;
    while (notified === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(notified).toBeGreaterThan(before);
  }

  async function run(s: Step, users: ModelUser[], keys: ModelKey[]): Promise<void> {
    const user = 'user' in s ? users[users.length - 1 - (s.user % Math.max(users.length, 1))] : undefined;
    const key = 'key' in s ? keys[keys.length - 1 - (s.key % Math.max(keys.length, 1))] : undefined;
    switch (s.kind) {
      case 'createUser': {
        const body = makeUser({ active: s.active });
        const res = await scim.post('/Users', body);
        expect(res.status).toBe(201);
        users.push({ id: res.body.id as string, body, exists: true, active: s.active });
        return;
      }
      case 'deactivate': {
        if (!user) {
          return;
        }
        const path = `/Users/${user.id}`;
        const res = await {
          path: () => scim.patch(path, patchOp({ op: 'replace', path: 'active', value: false })),
          'no-path': () => scim.patch(path, patchOp({ op: 'Replace', value: { active: false } })),
          'entra-string': () => scim.patch(path, patchOp({ op: 'Replace', path: 'active', value: 'False' })),
          put: () => scim.put(path, { ...user.body, active: false }),
          remove: () => scim.patch(path, patchOp({ op: 'remove', path: 'active' })),
        }[s.via]();
        expect(res.status).toBe(user.exists ? 200 : 404);
        user.active = false;
        return;
      }
      case 'reactivate': {
        if (!user) {
          return;
        }
        const path = `/Users/${user.id}`;
        const res = await {
          path: () => scim.patch(path, patchOp({ op: 'replace', path: 'active', value: true })),
          'entra-string': () => scim.patch(path, patchOp({ op: 'Replace', path: 'active', value: 'True' })),
          put: () => scim.put(path, { ...user.body, active: true }),
        }[s.via]();
        expect(res.status).toBe(user.exists ? 200 : 404);
        user.active = user.exists;
        return;
      }
      case 'putKeepingActive': {
        if (!user) {
          return;
        }
        const { active: _omitted, ...body } = user.body;
        const res = await scim.put(`/Users/${user.id}`, { ...body, title: `t${keys.length}` });
        expect(res.status).toBe(user.exists ? 200 : 404);
        return;
      }
      case 'deleteUser': {
        if (!user) {
          return;
        }
        expect((await scim.delete(`/Users/${user.id}`)).status).toBe(user.exists ? 204 : 404);
        user.exists = false;
        user.active = false;
        return;
      }
      case 'createKey': {
        if (!user) {
          return;
        }
        const res = await createKey(t, user.id, { name: 'k' });
        expect(res.status).toBe(!user.exists ? 404 : user.active ? 201 : 409);
        if (res.status === 201) {
          keys.push({ id: res.body.id as string, key: res.body.key as string, user, revoked: false, expired: false });
        }
        return;
      }
      case 'revokeKey': {
        if (!key) {
          return;
        }
        const res = await request(t.http).delete(`/admin/api-keys/${key.id}`).set(admin);
        expect(res.status).toBe(key.user.exists ? 204 : 404);
        key.revoked = true;
        return;
      }
      case 'expireKey': {
        if (!key || !key.user.exists || key.expired) {
          return;
        }
        const before = notified;
        await t.sql(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [key.id]);
        await untilNotified(before);
        key.expired = true;
        return;
      }
    }
  }

  it('a key is live iff its user exists and is active and the key is neither revoked nor expired, after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 8, maxLength: 30, size: 'max' }), async (steps) => {
        await t.reset();
        scim = scimClient(t, await t.token());
        const users: ModelUser[] = [];
        const keys: ModelKey[] = [];
        for (const s of steps) {
          await run(s, users, keys);
          for (const k of keys) {
            const expected = k.user.exists && k.user.active && !k.revoked && !k.expired;
            expect({ step: s, key: k.id, live: await isLive(t, k.key) }).toEqual({ step: s, key: k.id, live: expected });
          }
        }
      }),
      { numRuns: 80 },
    );
  });
});
