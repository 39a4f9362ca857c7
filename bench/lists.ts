import { Pool } from 'pg';
import { CURSOR_TIMEOUT_SECONDS } from '../src/database/list-support';
import { CursorCodec } from '../src/scim';
import { measure, Measurement } from './load';
import { BenchServer } from './servers';

/**
 * The list section (issue "Protocol completeness", lists at scale): single pages of GET /Users at the seeded size,
 * one client at a time, so the latency is the server's time plus one loopback round trip. Each page's totalResults
 * is checked against count(*).
 */

export interface ListFigure {
  readonly name: string;
  readonly goal: string;
  readonly m: Measurement;
  readonly ok: (f: ListFigure, all: readonly ListFigure[]) => boolean;
}

const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

export async function benchLists(pool: Pool, server: BenchServer, seconds: number, log: (m: string) => void): Promise<ListFigure[]> {
  const count = async (where = 'TRUE', params: unknown[] = []) =>
    Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM users u WHERE ${where}`, params)).rows[0]?.n);
  const total = await count();
  // A cursor near the end of the userName order, signed with the key the servers share (settings), as a late page of a walk would be.
  const secret = (await pool.query<{ value: string }>(`SELECT value FROM settings WHERE name = 'cursor_key'`)).rows[0]?.value ?? '';
  const late = (
    await pool.query<{ k: string; id: string }>(
      `SELECT lower(user_name) AS k, id::text FROM users ORDER BY lower(user_name) DESC, id DESC OFFSET 150 LIMIT 1`,
    )
  ).rows[0];
  const fingerprint = JSON.stringify(['User', '', 'userName', false]);
  const lateCursor = new CursorCodec(secret, CURSOR_TIMEOUT_SECONDS).encode(fingerprint, { keys: [late?.k, late?.id], backwards: false });
  const externalId =
    (await pool.query<{ e: string }>(`SELECT external_id AS e FROM users WHERE external_id IS NOT NULL LIMIT 1 OFFSET 500000`)).rows[0]
      ?.e ?? '';
  const prefix = 'Grace.Hopper';
  const prefixTotal = await count(`lower(user_name) LIKE lower($1)`, [`${prefix}%`]);

  const scenarios: { name: string; path: string; expect: number; goal: string; ok: ListFigure['ok'] }[] = [
    {
      name: 'GET /Users?count=100 (no filter, exact total)',
      path: 'count=100',
      expect: total,
      goal: 'p50 ≤ 20 ms',
      ok: (f) => f.m.p50 <= 20,
    },
    {
      name: `filter userName sw "${prefix}" (${prefixTotal} matches)`,
      path: `count=100&${q(`userName sw "${prefix}"`)}`,
      expect: prefixTotal,
      goal: 'p50 ≤ 20 ms',
      ok: (f) => f.m.p50 <= 20,
    },
    {
      name: 'filter externalId eq (1 match)',
      path: `count=100&${q(`externalId eq "${externalId}"`)}`,
      expect: 1,
      goal: 'p50 ≤ 20 ms',
      ok: (f) => f.m.p50 <= 20,
    },
    { name: 'sortBy=userName', path: 'count=100&sortBy=userName', expect: total, goal: 'p50 ≤ 30 ms', ok: (f) => f.m.p50 <= 30 },
    { name: 'cursor: first page (sortBy=userName)', path: 'count=100&sortBy=userName&cursor', expect: total, goal: '', ok: () => true },
    {
      name: 'cursor: a page near the end',
      path: `count=100&sortBy=userName&cursor=${lateCursor}`,
      expect: total,
      goal: '≤ 1.5× the first cursor page',
      ok: (f, all) => f.m.p50 <= 1.5 * (all.find((x) => x.name.startsWith('cursor: first'))?.m.p50 ?? NaN),
    },
    {
      name: 'index: startIndex near the end (for contrast)',
      path: `count=100&startIndex=${Math.max(1, total - 150)}`,
      expect: total,
      goal: '',
      ok: () => true,
    },
  ];
  const figures: ListFigure[] = [];
  for (const s of scenarios) {
    const m = await measure(
      async () => {
        const res = await server.http.send('GET', `/scim/v2/Users?${s.path}`, server.scim);
        const totalResults = Number(/"totalResults":(\d+)/.exec(res.body)?.[1]);
        return res.status === 200 && totalResults === s.expect
          ? undefined
          : `${res.status} totalResults ${totalResults} (expected ${s.expect}): ${res.body.slice(0, 80)}`;
      },
      { concurrency: 1, seconds, warmupSeconds: 1 },
    );
    figures.push({ name: s.name, goal: s.goal, m, ok: s.ok });
    log(`  ${s.name}: p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms${m.errors ? `, ERRORS ${m.errors}` : ''}`);
  }
  return figures;
}

export function listReport(figures: readonly ListFigure[]): string {
  return [
    '| page | p50 ms | p99 ms | goal | met |',
    '|---|---:|---:|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.name} | ${f.m.p50.toFixed(2)} | ${f.m.p99.toFixed(2)} | ${f.goal} | ${f.goal ? (f.ok(f, figures) ? 'yes' : 'no') : ''} |`,
    ),
    ...figures.flatMap((f) => [...f.m.errorKinds].map(([k, n]) => `- ${f.name}: ${n} × ${k}`)),
  ].join('\n');
}
