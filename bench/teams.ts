import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { HttpClient, Measurement, measure } from './load';

/**
 * The team scenario (issue "Teams as SCIM Groups"): one team grown to each size by set-based SQL, then, at each size,
 * the latency of a single-member add/remove PATCH, of a GET with excludedAttributes=members, and the time, bytes and
 * server memory of the full GET. One client at a time: these are latencies, not throughput under contention.
 */

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Users kept out of the team, toggled in and out by the PATCH measurement. */
const SPARE = 1000;
const FULL_GET_RUNS = 3;

export interface TeamFigures {
  size: number;
  patch: Measurement;
  excludedGet: Measurement;
  fullGetMs: number;
  fullGetBytes: number;
  /** Server RSS growth while the full GET ran (max sample minus the sample before it), in MiB. */
  fullGetRssMiB: number;
}

interface TeamContext {
  pool: Pool;
  http: HttpClient;
  headers: Record<string, string>;
  serverPid: number;
  seconds: number;
  warmupSeconds: number;
}

const rssKiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

export async function benchTeams(ctx: TeamContext, sizes: readonly number[], log: (m: string) => void): Promise<TeamFigures[]> {
  const max = Math.max(...sizes);
  const ids = (await ctx.pool.query<{ id: string }>('SELECT id FROM users ORDER BY id LIMIT $1', [max + SPARE])).rows.map((r) => r.id);
  if (ids.length < max + SPARE) {
    throw new Error(`the team scenario needs ${max + SPARE} users; the database has ${ids.length}`);
  }
  const spare = ids.slice(max);
  const created = await ctx.http.send(
    'POST',
    '/scim/v2/Groups',
    { ...ctx.headers, 'Content-Type': 'application/scim+json' },
    JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: `bench team ${Date.now()}`,
    }),
  );
  if (created.status !== 201) {
    throw new Error(`POST /Groups answered ${created.status}: ${created.body.slice(0, 200)}`);
  }
  const teamId = (JSON.parse(created.body) as { id: string }).id;
  const timing = { concurrency: 1, seconds: ctx.seconds, warmupSeconds: ctx.warmupSeconds };
  const figures: TeamFigures[] = [];
  let members = 0;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    await ctx.pool.query('INSERT INTO group_members (group_id, user_id) SELECT $1::uuid, u FROM unnest($2::uuid[]) u', [
      teamId,
      ids.slice(members, size),
    ]);
    await ctx.pool.query('ANALYZE group_members');
    members = size;
    log(`team grown to ${size} members`);

    // Request k adds spare user k/2 and request k+1 removes it again, so the team stays at `size` (+1 at times).
    let k = 0;
    const patch = await measure(async () => {
      const user = spare[Math.floor(k / 2) % spare.length] as string;
      const op =
        k % 2 === 0 ? { op: 'add', path: 'members', value: [{ value: user }] } : { op: 'remove', path: `members[value eq "${user}"]` };
      k += 1;
      const res = await ctx.http.send(
        'PATCH',
        `/scim/v2/Groups/${teamId}`,
        { ...ctx.headers, 'Content-Type': 'application/scim+json' },
        JSON.stringify({ schemas: [PATCH_OP], Operations: [op] }),
      );
      return res.status === 204 ? undefined : `PATCH ${res.status}: ${res.body.slice(0, 80)}`;
    }, timing);

    // The run may stop between an add and its remove.
    await ctx.pool.query('DELETE FROM group_members WHERE group_id = $1 AND user_id = ANY($2::uuid[])', [teamId, spare]);

    const excludedGet = await measure(async () => {
      const res = await ctx.http.send('GET', `/scim/v2/Groups/${teamId}?excludedAttributes=members`, ctx.headers);
      return res.status === 200 ? undefined : `GET ${res.status}`;
    }, timing);

    const runs: { ms: number; bytes: number; rss: number }[] = [];
    for (let i = 0; i < FULL_GET_RUNS; i += 1) {
      const before = rssKiB(ctx.serverPid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(ctx.serverPid))), 5);
      const t0 = process.hrtime.bigint();
      const res = await ctx.http.send('GET', `/scim/v2/Groups/${teamId}`, ctx.headers);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      clearInterval(sampler);
      const count = (JSON.parse(res.body) as { members?: unknown[] }).members?.length ?? 0;
      if (res.status !== 200 || count !== size) {
        throw new Error(`full GET answered ${res.status} with ${count} members, expected ${size}`);
      }
      runs.push({ ms, bytes: Buffer.byteLength(res.body), rss: (peak - before) / 1024 });
    }
    runs.sort((a, b) => a.ms - b.ms);
    const median = runs[Math.floor(runs.length / 2)] as { ms: number; bytes: number; rss: number };
    figures.push({
      size,
      patch,
      excludedGet,
      fullGetMs: median.ms,
      fullGetBytes: median.bytes,
      fullGetRssMiB: Math.max(...runs.map((r) => r.rss)),
    });
    log(`  PATCH p50 ${patch.p50.toFixed(2)} ms, excluded GET p50 ${excludedGet.p50.toFixed(2)} ms, full GET ${median.ms.toFixed(0)} ms`);
  }
  return figures;
}

/** The team table and the verdicts against the targets, in Markdown. */
export function teamReport(figures: readonly TeamFigures[]): string {
  const ms = (n: number) => n.toFixed(2);
  const rows = figures.map(
    (f) =>
      `| ${f.size.toLocaleString('en-US')} | ${ms(f.patch.p50)} / ${ms(f.patch.p99)} | ${ms(f.excludedGet.p50)} / ${ms(f.excludedGet.p99)} | ${f.fullGetMs.toFixed(0)} | ${(f.fullGetBytes / 1e6).toFixed(2)} MB | ${f.fullGetRssMiB.toFixed(1)} MiB |`,
  );
  const smallest = figures[0];
  const largest = figures[figures.length - 1];
  const verdicts =
    smallest && largest
      ? [
          `- single-member PATCH p50 at ${largest.size.toLocaleString('en-US')} members is ${(largest.patch.p50 / smallest.patch.p50).toFixed(2)}× that at ${smallest.size} (target ≤ 1.3×)`,
          `- GET with excludedAttributes=members p50 at ${largest.size.toLocaleString('en-US')} members: ${ms(largest.excludedGet.p50)} ms (target ≤ 5 ms)`,
          `- full GET of ${largest.size.toLocaleString('en-US')} members: ${largest.fullGetMs.toFixed(0)} ms (target ≤ 1000 ms), server RSS growth ${largest.fullGetRssMiB.toFixed(1)} MiB for ${(largest.fullGetBytes / 1e6).toFixed(1)} MB sent`,
        ]
      : [];
  return [
    '| team size | PATCH add/remove p50 / p99 (ms) | GET excludedAttributes=members p50 / p99 (ms) | full GET (ms) | full GET body | server RSS growth |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    ...verdicts,
  ].join('\n');
}
