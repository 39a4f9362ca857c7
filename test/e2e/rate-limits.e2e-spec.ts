import request from 'supertest';
import { createTestApp, TestApp } from '../support/app';
import { ERROR } from '../support/scim';

describe('rate limits', () => {
  let a: TestApp;
  let b: TestApp;
  const list = (t: TestApp, token: string) => request(t.http).get('/scim/v2/Users?count=0').auth(token, { type: 'bearer' });

  beforeAll(async () => {
    const env = { AUTH_FAILURES_PER_MINUTE: '5', SCIM_REQUESTS_PER_MINUTE: '10', TRUST_PROXY: 'true' };
    a = await createTestApp(env);
    b = await createTestApp(env);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(() => a.reset());

  const expect429 = (res: request.Response) => {
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '429', detail: expect.any(String) });
  };

  it('answers 429 once an address has failed authentication too often, on every instance', async () => {
    const from = (t: TestApp, token: string) => list(t, token).set('X-Forwarded-For', '203.0.113.7');
    for (let i = 0; i < 5; i++) {
      expect((await from(a, `scim_bad${i}`)).status).toBe(401);
    }
    expect429(await from(a, 'scim_bad5'));
    // The count lives in PostgreSQL: the next failure on another instance is over the limit too.
    expect429(await from(b, 'scim_bad6'));
    // On an instance that refused it, the address is blocked in memory, valid token or not.
    expect429(await from(a, await a.token()));
    // Other addresses are not affected.
    expect((await list(a, await a.token()).set('X-Forwarded-For', '198.51.100.1')).status).toBe(200);
  });

  it('answers 429 to a SCIM token over its per-minute budget, and not to another token', async () => {
    const token = await a.token();
    for (let i = 0; i < 10; i++) {
      expect((await list(a, token)).status).toBe(200);
    }
    const over = await list(a, token);
    expect429(over);
    expect(over.body.detail).toContain('SCIM_REQUESTS_PER_MINUTE');
    expect((await list(a, await a.token())).status).toBe(200);
  });

  it('counts each operation of a Bulk request against the token, refusing a Bulk over the budget before it runs', async () => {
    const token = await a.token();
    const bulk = (n: number) =>
      request(a.http)
        .post('/scim/v2/Bulk')
        .auth(token, { type: 'bearer' })
        .set('Content-Type', 'application/scim+json')
        .send({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: Array.from({ length: n }, (_, i) => ({
            method: 'POST',
            path: '/Users',
            bulkId: `u${n}-${i}`,
            data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `bulk${n}-${i}@example.com` },
          })),
        });
    const tooBig = await bulk(11);
    expect429(tooBig);
    expect(await a.sql('SELECT 1 FROM users')).toHaveLength(0);
    // The refused Bulk spent one request of the 10 (the request itself), none for its operations.
    expect((await bulk(6)).status).toBe(200);
    expect(await a.sql('SELECT 1 FROM users')).toHaveLength(6);
    expect429(await bulk(4)); // 7 used, and 4 more would be 11
    expect((await list(a, token)).status).toBe(200);
    expect((await list(a, token)).status).toBe(200);
    expect429(await list(a, token));
  });
});
