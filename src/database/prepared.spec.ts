import type { EntityManager } from 'typeorm';
import { preparedQuery, usePreparedStatements } from './prepared';

/** Records what would reach pg's client.query. */
const recorder = () => {
  const calls: { query: unknown; params: unknown[] }[] = [];
  const m = {
    query: (query: unknown, params: unknown[]) => (calls.push({ query, params }), Promise.resolve([])),
  } as unknown as EntityManager;
  return { m, calls };
};

describe('preparedQuery', () => {
  it('names a statement by its text, the same name each time, and passes the parameters on', async () => {
    const { m, calls } = recorder();
    await preparedQuery(m, 'SELECT $1::int', [1]);
    await preparedQuery(m, 'SELECT $1::int', [2]);
    await preparedQuery(m, 'SELECT $1::text', ['x']);
    const [a, b, c] = calls.map((call) => call.query as { name: string; text: string });
    expect(a).toEqual({ name: expect.stringMatching(/^scim_[0-9a-f]{24}$/), text: 'SELECT $1::int' });
    expect(b?.name).toBe(a?.name);
    expect(c?.name).not.toBe(a?.name);
    expect(calls.map((call) => call.params)).toEqual([[1], [2], ['x']]);
  });

  it('names at most 64 texts, so client-chosen filter shapes cannot grow the statement cache without bound', async () => {
    const { m, calls } = recorder();
    for (let i = 0; i < 70; i++) {
      await preparedQuery(m, `SELECT ${i}`, []);
    }
    await preparedQuery(m, 'SELECT $1::int', [3]); // named by the first test, in this module's cache
    const named = calls.filter((call) => typeof call.query === 'object');
    expect(named).toHaveLength(64 - 2 + 1); // two names were taken in the first test
    expect(calls[69]?.query).toBe('SELECT 69');
    expect(calls[70]?.query).toEqual({ name: expect.any(String), text: 'SELECT $1::int' });
  });

  it('sends the text unnamed when DATABASE_PREPARED_STATEMENTS is off (a pooler in transaction mode)', async () => {
    const { m, calls } = recorder();
    usePreparedStatements(false);
    try {
      await preparedQuery(m, 'SELECT $1::int', [4]);
    } finally {
      usePreparedStatements(true);
    }
    expect(calls).toEqual([{ query: 'SELECT $1::int', params: [4] }]);
  });
});
