import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { ChangeFeed } from '../../src/database/change-feed';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/app';

/**
 * SCIM tokens are cached per instance for speed; DESIGN.md allows it only if a revocation takes effect on every
 * instance within 1 s. Two instances share one database here, as two servers behind a load balancer would.
 */
describe('token cache across instances', () => {
  let a: TestApp;
  let b: TestApp;
  const spc = '/scim/v2/ServiceProviderConfig';
  const call = (t: TestApp, token: string) => request(t.http).get(spc).auth(token, { type: 'bearer' });
  const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(() => a.reset());

  /** Issues a token on instance A and warms B's cache with it. */
  const warmToken = async () => {
    const { body } = await request(a.http).post('/admin/scim-tokens').set(admin).send({ name: 'idp' });
    const { id, token } = body as { id: string; token: string };
    for (let i = 0; i < 3; i++) {
      expect((await call(b, token)).status).toBe(200);
    }
    return { id, token };
  };

  /** Milliseconds until instance B refuses the token, polling every 10 ms for up to 3 s. */
  const untilRefused = async (token: string) => {
    const start = Date.now();
    while (Date.now() - start < 3000) {
      const res = await call(b, token);
      if (res.status === 401) {
        expect(res.body.detail).toMatch(/revoked/);
        return Date.now() - start;
      }
      await sleep(10);
    }
    return Infinity;
  };

  it('refuses a token revoked through another instance within 1 s', async () => {
    const { id, token } = await warmToken();
    expect((await request(a.http).delete(`/admin/scim-tokens/${id}`).set(admin)).status).toBe(204);
    expect((await call(a, token)).status).toBe(401); // the revoking instance at once
    expect(await untilRefused(token)).toBeLessThan(1000);
  });

  it('refuses a token revoked directly in the database within 1 s', async () => {
    const { id, token } = await warmToken();
    await a.sql('UPDATE scim_tokens SET revoked_at = now() WHERE id = $1', [id]);
    expect(await untilRefused(token)).toBeLessThan(1000);
  });

  it('stops caching while the invalidation feed is down, so a revocation counts on the very next request', async () => {
    const { id, token } = await warmToken();
    await a.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'scim-server changes'`);
    // Wait until B has seen its feed connection end (until then the 1 s TTL is what bounds staleness).
    const feed = b.app.get(ChangeFeed);
    for (let i = 0; i < 100 && feed.live; i++) {
      await sleep(10);
    }
    expect(feed.live).toBe(false);
    await a.sql('UPDATE scim_tokens SET revoked_at = now() WHERE id = $1', [id]);
    const res = await call(b, token);
    expect(res.status).toBe(401);
    // The feed reconnects on its own, and caching resumes.
    const fresh = await warmToken();
    expect((await call(b, fresh.token)).status).toBe(200);
  });
});
