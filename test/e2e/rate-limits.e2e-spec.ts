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
});
