import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/app';
import { OwnPostgres } from '../support/own-postgres';
import { ERROR, makeUser, scimClient } from '../support/scim';

/**
 * What an IdP sees while the database fails: a 503 with Retry-After and a SCIM error, within the answer deadline,
 * never a 500 or a hang, and service again once PostgreSQL is back. The database here is the test's own.
 */
describe('database faults', () => {
  let pg: OwnPostgres;
  let t: TestApp;
  let scim: ReturnType<typeof scimClient>;
  const ANSWER_MS = 2000;

  beforeAll(async () => {
    pg = await OwnPostgres.start();
    t = await createTestApp({
      DATABASE_URL: pg.url,
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      DATABASE_ACQUIRE_TIMEOUT_MS: '1000',
      HTTP_ANSWER_TIMEOUT_MS: String(ANSWER_MS),
    });
    scim = scimClient(t, await t.token());
  });
  afterAll(async () => {
    await t.close();
    await pg.remove();
  });

  interface Outcome {
    status: number;
    ms: number;
    retryAfter?: string;
    body: { schemas?: string[] };
  }

  /** Four clients reading and writing users back to back until `stop` resolves. */
  async function underLoad(stop: Promise<unknown>): Promise<Outcome[]> {
    let done = false;
    void stop.then(() => (done = true));
    const outcomes: Outcome[] = [];
    const client = async (n: number) => {
      for (let i = 0; !done; i++) {
        const start = Date.now();
        const res = await (n % 2 === 0 ? scim.get('/Users?count=1') : scim.post('/Users', makeUser()));
        outcomes.push({ status: res.status, ms: Date.now() - start, retryAfter: res.headers['retry-after'], body: res.body as object });
      }
    };
    await Promise.all([0, 1, 2, 3].map(client));
    return outcomes;
  }

  const expectOnly200or503 = (outcomes: Outcome[]) => {
    expect(outcomes.length).toBeGreaterThan(10);
    for (const o of outcomes) {
      expect([200, 201, 503]).toContain(o.status);
      expect(o.ms).toBeLessThan(ANSWER_MS + 1500);
      if (o.status === 503) {
        expect(o.retryAfter).toMatch(/^\d+$/);
        expect(o.body.schemas).toEqual([ERROR]);
      }
    }
    expect(outcomes.some((o) => o.status === 503)).toBe(true);
  };

  const recovers = async () => {
    for (let i = 0; i < 100; i++) {
      if ((await scim.get('/Users?count=1')).status === 200 && (await request(t.http).get('/health/ready')).status === 200) {
        return true;
      }
      await sleep(100);
    }
    return false;
  };

  it('answers 503 with Retry-After while PostgreSQL is stopped, and serves again once it restarts', async () => {
    const outcomes = await underLoad(
      (async () => {
        await sleep(300);
        await pg.down();
        await sleep(300);
        expect((await request(t.http).get('/health/ready')).status).toBe(503);
        await sleep(1500);
        await pg.up();
      })(),
    );
    expectOnly200or503(outcomes);
    expect(await recovers()).toBe(true);
  });

  it('answers 503 within the answer deadline while PostgreSQL hangs (SIGSTOP), never a hang, and recovers', async () => {
    const outcomes = await underLoad(
      (async () => {
        await sleep(300);
        pg.signal('SIGSTOP');
        await sleep(ANSWER_MS + 2000);
        pg.signal('SIGCONT');
      })(),
    );
    expectOnly200or503(outcomes);
    expect(await recovers()).toBe(true);
  });
});
