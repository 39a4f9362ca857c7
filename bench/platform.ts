import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { measure, Measurement } from './load';
import { userBody } from './seed';
import { BenchServer } from './servers';

/**
 * The platform section (issue "Express by default"): this server and the bare floor (bench/floor.ts, a node:http
 * server doing the least a correct server must do), and any other build named in BENCH_COMPARE, measured on the same
 * database in the same run: POST /Users, the IdP existence probe and a user PATCH, with `concurrency` keep-alive
 * clients. Each round measures every scenario on every server (in a rotating order); the figures are medians of the
 * rounds, so each ratio compares measurements taken minutes apart at most.
 */

export const SCENARIOS = ['post', 'probe', 'patch'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The issue's goals, as a fraction of the floor's req/s, for the default platform; p99 on every route. */
export const GOALS: Record<Scenario, number> = { post: 0.35, probe: 0.35, patch: 0.25 };
export const P99_GOAL_MS = 25;

export interface PlatformFigures {
  server: string;
  scenario: Scenario;
  rps: number;
  p50: number;
  p99: number;
  serverCpuMs: number;
  errors: number;
  errorKinds: Map<string, number>;
}

export interface PlatformResult {
  figures: PlatformFigures[];
  /** Server RSS after the first round and at the end, in MiB: growth after the warm-up round would be a leak. */
  rssMiB: Map<string, { afterFirstRound: number; atEnd: number }>;
}

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const rssMiB = (pid: number | undefined): number =>
  pid === undefined ? NaN : Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Context {
  pool: Pool;
  /** Users 1..seeded exist (userBody numbering). */
  seeded: number;
  rounds: number;
  timing: { concurrency: number; seconds: number; warmupSeconds: number; signal?: AbortSignal };
  postmasterPid?: number;
}

function operation(server: BenchServer, scenario: Scenario, ids: readonly string[], round: number, ctx: Context) {
  const json = { ...server.scim, 'content-type': 'application/scim+json' };
  const counters = new Array<number>(ctx.timing.concurrency).fill(0);
  switch (scenario) {
    case 'post':
      return async (w: number) => {
        const n = (counters[w] = (counters[w] ?? 0) + 1);
        const res = await server.http.send(
          'POST',
          '/scim/v2/Users',
          json,
          JSON.stringify(userBody(n, `${server.label}-${round}-${w}-${n}`)),
        );
        return res.status === 201 ? undefined : `${res.status} ${res.body}`;
      };
    case 'probe':
      // Half the probes ask for a seeded user (found, in its stored case), half for a random name (not found).
      return async () => {
        const hit = Math.random() < 0.5;
        const name = hit ? (userBody(1 + Math.floor(Math.random() * ctx.seeded)).userName as string) : `${randomUUID()}@example.com`;
        const res = await server.http.send('GET', `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`, server.scim);
        const total = /"totalResults":(\d+)/.exec(res.body)?.[1];
        return res.status === 200 && total === (hit ? '1' : '0')
          ? undefined
          : `${res.status} totalResults ${total}: ${res.body.slice(0, 80)}`;
      };
    case 'patch':
      return async () => {
        const id = ids[Math.floor(Math.random() * ids.length)] as string;
        const body = {
          schemas: [PATCH_OP],
          Operations: [{ op: 'replace', path: 'displayName', value: `Renamed ${randomUUID().slice(0, 8)}` }],
        };
        const res = await server.http.send('PATCH', `/scim/v2/Users/${id}`, json, JSON.stringify(body));
        return res.status === 200 ? undefined : `${res.status} ${res.body.slice(0, 80)}`;
      };
  }
}

export async function benchPlatform(servers: readonly BenchServer[], ctx: Context, log: (m: string) => void): Promise<PlatformResult> {
  const ids = (await ctx.pool.query<{ id: string }>('SELECT id FROM users ORDER BY created LIMIT $1', [ctx.seeded])).rows.map((r) => r.id);
  const afterFirstRound = new Map<string, number>();
  const runs = new Map<string, Measurement[]>();
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const scenario of SCENARIOS) {
      const order = servers.map((_, i) => servers[(i + round) % servers.length] as BenchServer);
      for (const server of order) {
        const m = await measure(operation(server, scenario, ids, round, ctx), ctx.timing, {
          server: server.child.pid,
          postmaster: ctx.postmasterPid,
        });
        const key = `${server.label}/${scenario}`;
        runs.set(key, [...(runs.get(key) ?? []), m]);
        log(
          `  round ${round} ${scenario.padEnd(5)} ${server.label.padEnd(8)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms${m.errors ? `  ERRORS ${m.errors}` : ''}`,
        );
        if (ctx.timing.signal?.aborted) {
          throw new Error('interrupted');
        }
      }
    }
    if (round === 1) {
      servers.forEach((s) => afterFirstRound.set(s.label, rssMiB(s.child.pid)));
    }
  }
  const figures = servers.flatMap((s) =>
    SCENARIOS.map((scenario): PlatformFigures => {
      const ms = runs.get(`${s.label}/${scenario}`) ?? [];
      const errorKinds = new Map<string, number>();
      for (const m of ms) {
        for (const [k, n] of m.errorKinds) {
          errorKinds.set(k, (errorKinds.get(k) ?? 0) + n);
        }
      }
      return {
        server: s.label,
        scenario,
        rps: median(ms.map((m) => m.rps)),
        p50: median(ms.map((m) => m.p50)),
        p99: median(ms.map((m) => m.p99)),
        serverCpuMs: median(ms.map((m) => m.cpu?.serverMsPerOp ?? NaN)),
        errors: ms.reduce((n, m) => n + m.errors, 0),
        errorKinds,
      };
    }),
  );
  const rss = servers.map((s): [string, { afterFirstRound: number; atEnd: number }] => [
    s.label,
    { afterFirstRound: afterFirstRound.get(s.label) ?? NaN, atEnd: rssMiB(s.child.pid) },
  ]);
  return { figures, rssMiB: new Map(rss) };
}

/** The section's table in Markdown: each server's medians and its ratio to the floor, against the goals. */
export function platformReport({ figures, rssMiB: rss }: PlatformResult, defaultServer: string): string {
  const floor = (scenario: Scenario) => figures.find((f) => f.server === 'floor' && f.scenario === scenario);
  const rows = figures.map((f) => {
    const ratio = f.rps / (floor(f.scenario)?.rps ?? NaN);
    const gated = f.server === defaultServer;
    const met = gated ? (ratio >= GOALS[f.scenario] && f.p99 <= P99_GOAL_MS ? 'yes' : 'no') : '';
    return `| ${f.scenario} | ${f.server} | ${f.rps.toFixed(0)} | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)} | ${f.serverCpuMs.toFixed(2)} | ${f.server === 'floor' ? '1.00' : ratio.toFixed(2)} | ${gated ? `≥ ${GOALS[f.scenario].toFixed(2)}, p99 ≤ ${P99_GOAL_MS} ms` : ''} | ${met} |`;
  });
  const errors = figures.flatMap((f) => [...f.errorKinds].map(([k, n]) => `- ${f.server} ${f.scenario}: ${n} × ${k}`));
  return [
    '| route | server | req/s | p50 ms | p99 ms | server CPU ms/req | ratio to floor | goal | met |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
    ...rows,
    '',
    `Server RSS after round 1 → at the end: ${[...rss].map(([s, r]) => `${s} ${r.afterFirstRound.toFixed(0)} → ${r.atEnd.toFixed(0)} MiB`).join(', ')}`,
    ...(errors.length > 0 ? ['', 'Errors:', ...errors] : []),
  ].join('\n');
}
