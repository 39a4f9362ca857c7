/**
 * npm run bench — not a test: seeds users set-based, then measures with 8 concurrent keep-alive clients POST /Users and
 * the IdP existence probe (GET /Users?filter=userName eq "…") against the real server (a child process), and in the
 * same run the raw PostgreSQL ceilings for the equivalent INSERT and point lookup through `pg`. Prints figures and
 * ratios; exits 0 whatever the figures are.
 *
 * Env: DATABASE_URL (else an embedded PostgreSQL in a temp dir; with it, the database `scim_bench` on that server is
 * dropped and recreated), BENCH_SIZES (default 100000,1000000), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2),
 * BENCH_SCENARIOS (insert,post,lookup,probe,teams), BENCH_TEAM_SIZES (10,1000,10000,100000), BENCH_CPU_PROF=<dir> (the server writes a V8 CPU profile there on exit),
 * BENCH_SERVER=<path to main.js> (another build of the server, to compare a change against this one).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool } from 'pg';
import { loadConfig } from '../src/config/env';
import { openDatabase } from '../src/database/embedded-postgres';
import { USER_COLUMNS } from '../src/users/users.repository';
import { freePort } from '../test/support/ports';
import { parentPid } from './cpu';
import { HttpClient, Measurement, measure } from './load';
import { checkSeedShape, columnsOf, seedUsers, userBody } from './seed';
import { TeamFigures, benchTeams, teamReport } from './teams';

const CONCURRENCY = 8;
const BENCH_DB = 'scim_bench';
const ADMIN_KEY = randomBytes(32).toString('base64url');
const TARGETS = { post: 0.4, probe: 0.25, probeP99Ms: 10 };

/** Aborted on SIGINT/SIGTERM: the load loops stop, then the cleanup runs. */
const interrupted = new AbortController();
const checkInterrupted = () => {
  if (interrupted.signal.aborted) {
    throw new Error('interrupted');
  }
};

const env = process.env;
const numbers = (name: string, fallback: string, min: number): number[] => {
  const list = (env[name] ?? fallback).split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isFinite(n) || n < min)) {
    console.error(`${name} must be a number ≥ ${min} (or a comma-separated list of them), got "${env[name]}"`);
    process.exit(2);
  }
  return list;
};
/** Ascending: each size tops up the seeded users of the one before. */
const sizes = numbers('BENCH_SIZES', '100000,1000000', 1).sort((a, b) => a - b);
const timing = {
  concurrency: CONCURRENCY,
  seconds: numbers('BENCH_SECONDS', '10', 1)[0] ?? 10,
  warmupSeconds: numbers('BENCH_WARMUP_SECONDS', '2', 0)[0] ?? 2,
  signal: interrupted.signal,
};
const scenarios = new Set((env.BENCH_SCENARIOS ?? 'insert,post,lookup,probe,teams').split(',').map((s) => s.trim()));
const teamSizes = (env.BENCH_TEAM_SIZES ?? '10,1000,10000,100000').split(',').map((s) => Number(s.trim()));

/** Cleanup steps, run last-in first-out once, also on failure and on Ctrl-C. */
const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const c of cleanups.reverse()) {
      await c.run().catch((e: unknown) => console.error(`cleanup (${c.name}) failed: ${String(e)}`));
    }
  })());

const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

/** A fresh database for the bench: `scim_bench` on DATABASE_URL's server, or on an embedded server in a temp dir. */
async function openBenchDatabase(work: string): Promise<{ url: string; where: string }> {
  let serverUrl = env.DATABASE_URL;
  let where = `DATABASE_URL's server, database ${BENCH_DB} (dropped and recreated)`;
  if (!serverUrl) {
    const config = loadConfig({ DATA_DIR: join(work, 'data'), EMBEDDED_PG_PORT: String(await freePort()), NODE_ENV: 'test' });
    const db = await openDatabase(config, log);
    cleanups.push({ name: 'stop the embedded PostgreSQL', run: () => db.stop() });
    serverUrl = db.url;
    where = `embedded PostgreSQL in ${config.dataDir}`;
  }
  const admin = new URL(serverUrl);
  if (admin.pathname === `/${BENCH_DB}`) {
    admin.pathname = '/postgres';
  }
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${BENCH_DB}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${BENCH_DB}`;
  if (env.DATABASE_URL) {
    cleanups.push({ name: `drop the ${BENCH_DB} database`, run: () => dropDatabase(admin.toString()) });
  }
  return { url: url.toString(), where };
}

async function dropDatabase(adminUrl: string) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`).finally(() => client.end());
}

/** The last lines the server wrote (warnings and errors at LOG_LEVEL=warn), printed when the bench fails. */
let serverOutput = '';

/** The compiled server as production runs it, in its own process, so its CPU is not the load generator's. */
async function startServer(databaseUrl: string, work: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const profile = env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${resolve(env.BENCH_CPU_PROF)}`] : [];
  const main = env.BENCH_SERVER ? resolve(env.BENCH_SERVER) : join(__dirname, '../src/main.js');
  const child = spawn(process.execPath, [...profile, main], {
    cwd: work, // no developer .env or ./.data is picked up
    env: {
      PATH: env.PATH,
      HOME: env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ADMIN_API_KEY: ADMIN_KEY,
      DATA_DIR: join(work, 'app'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (c: Buffer) => (serverOutput = (serverOutput + c.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  cleanups.push({
    name: 'stop the server',
    run: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if ((await Promise.race([exited.then(() => true), sleep(15_000, false)])) === false) {
          child.kill('SIGKILL');
        }
      }
    },
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited with ${child.exitCode} before it was ready:\n${serverOutput}`);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      return { port, child };
    }
    await sleep(100);
  }
  throw new Error(`the server did not answer /health within 60 s:\n${serverOutput}`);
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
const pct = (r: number) => (Number.isFinite(r) ? `${(r * 100).toFixed(0)}%` : 'n/a');

function report(name: string, m: Measurement) {
  log(
    `  ${name.padEnd(34)} ${fmt(m.rps).padStart(7)} req/s   p50 ${fmt(m.p50, 2).padStart(6)} ms   p99 ${fmt(m.p99, 2).padStart(6)} ms${m.errors ? `   ERRORS ${m.errors}` : ''}`,
  );
  if (m.cpu) {
    const c = m.cpu;
    log(
      `      CPU per request: server ${fmt(c.serverMsPerOp, 2)} ms, postgres ${fmt(c.postgresMsPerOp, 2)} ms, bench ${fmt(c.benchMsPerOp, 2)} ms; machine ${fmt(c.busyCores, 2)} cores busy (${fmt(c.otherCores, 2)} other)`,
    );
  }
  for (const [kind, count] of m.errorKinds) {
    log(`      ${count} × ${kind}`);
  }
}

interface SizeResult {
  size: number;
  rows: number;
  insert?: Measurement;
  post?: Measurement;
  lookup?: Measurement;
  probe?: Measurement;
}

async function main(): Promise<{ results: SizeResult[]; machine: string; teams?: TeamFigures[] }> {
  const work = mkdtempSync(join(tmpdir(), 'scim-bench-'));
  chmodSync(work, 0o755); // the postgres OS user (we may run as root) must traverse it
  cleanups.push({ name: 'remove the temp dir', run: async () => rmSync(work, { recursive: true, force: true }) });
  if (env.BENCH_CPU_PROF) {
    mkdirSync(resolve(env.BENCH_CPU_PROF), { recursive: true });
  }

  const db = await openBenchDatabase(work);
  log(`Database: ${db.where}`);
  const server = await startServer(db.url, work);
  log(
    `Server: node ${env.BENCH_SERVER ?? 'dist/src/main.js'} on port ${server.port} (pid ${server.child.pid}, NODE_ENV=production, LOG_LEVEL=warn)`,
  );
  const pool = new Pool({ connectionString: db.url, max: CONCURRENCY, idleTimeoutMillis: 0, application_name: 'scim-bench' });
  cleanups.push({ name: 'close the pg pool', run: () => pool.end() });
  const backend = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const pids = { server: server.child.pid, postmaster: backend === undefined ? undefined : parentPid(backend) };
  const http = new HttpClient(server.port, CONCURRENCY);
  cleanups.push({ name: 'close HTTP sockets', run: async () => http.close() });

  const issued = await http.send(
    'POST',
    '/admin/scim-tokens',
    { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    JSON.stringify({ name: 'bench' }),
  );
  if (issued.status !== 201) {
    throw new Error(`POST /admin/scim-tokens answered ${issued.status}: ${issued.body}`);
  }
  const scim = { authorization: `Bearer ${(JSON.parse(issued.body) as { token: string }).token}`, accept: 'application/scim+json' };
  const postUser = (body: unknown) =>
    http.send('POST', '/scim/v2/Users', { ...scim, 'content-type': 'application/scim+json' }, JSON.stringify(body));

  // User 0 goes through POST /Users; the seed must build exactly the row the app stored for it.
  const created = await postUser(userBody(0));
  if (created.status !== 201) {
    throw new Error(`POST /scim/v2/Users answered ${created.status}: ${created.body}`);
  }
  const version = (await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v ?? '?';
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, PostgreSQL ${version} (${env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'})`;
  log(`Machine: ${machine}`);
  const { role, differences } = await checkSeedShape(pool, 0);
  log(
    differences.length === 0
      ? `Seed check: the seed builds the same row as POST /Users (role ${role})`
      : `WARNING: the seed differs from what POST /Users stores:\n  ${differences.join('\n  ')}`,
  );

  const results: SizeResult[] = [];
  let teams: TeamFigures[] | undefined;
  let seeded = 0;
  let run = 0;
  for (const size of sizes) {
    const t0 = Date.now();
    await seedUsers(pool, seeded + 1, size, role);
    seeded = Math.max(seeded, size);
    checkInterrupted();
    const tSeed = Date.now();
    await pool.query('VACUUM ANALYZE users');
    await pool.query('CHECKPOINT').catch(() => undefined); // needs pg_checkpoint rights on a shared server; best effort
    const rows = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]?.n);
    log(
      `Size ${fmt(size)}: seeded up to ${fmt(seeded)} in ${((tSeed - t0) / 1000).toFixed(1)} s, VACUUM ANALYZE + CHECKPOINT ${((Date.now() - tSeed) / 1000).toFixed(1)} s; users table has ${fmt(rows)} rows`,
    );
    const r: SizeResult = { size, rows };
    run++;

    if (scenarios.has('insert')) {
      const counters = new Array<number>(CONCURRENCY).fill(0);
      const sql = `INSERT INTO users AS u (user_name, external_id, display_name, active, primary_email, emails, role, data)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${USER_COLUMNS}`;
      r.insert = await measure(
        async (w) => {
          const n = (counters[w] = (counters[w] ?? 0) + 1);
          await pool.query({ name: 'ceiling-insert', text: sql, values: columnsOf(userBody(n, `raw${run}-${w}-${n}`), role) });
          return undefined;
        },
        timing,
        pids,
      );
      checkInterrupted();
      report('pg INSERT … RETURNING (ceiling)', r.insert);
    }
    if (scenarios.has('post')) {
      const counters = new Array<number>(CONCURRENCY).fill(0);
      r.post = await measure(
        async (w) => {
          const n = (counters[w] = (counters[w] ?? 0) + 1);
          const res = await postUser(userBody(n, `post${run}-${w}-${n}`));
          return res.status === 201 ? undefined : `${res.status} ${res.body}`;
        },
        timing,
        pids,
      );
      checkInterrupted();
      report('POST /scim/v2/Users', r.post);
    }
    // Half the probes ask for a seeded user (found, in its stored case), half for a random name (not found).
    const probeName = (): [string, number] => {
      const hit = Math.random() < 0.5;
      return hit ? [userBody(1 + Math.floor(Math.random() * seeded)).userName as string, 1] : [`${randomUUID()}@example.com`, 0];
    };
    if (scenarios.has('lookup')) {
      const sql = `SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.user_name) = lower($1)`;
      r.lookup = await measure(
        async () => {
          const [name, expected] = probeName();
          const { rowCount } = await pool.query({ name: 'ceiling-lookup', text: sql, values: [name] });
          return rowCount === expected ? undefined : `expected ${expected} rows for ${name}, got ${rowCount}`;
        },
        timing,
        pids,
      );
      checkInterrupted();
      report('pg SELECT by lower(user_name) (ceiling)', r.lookup);
    }
    if (scenarios.has('probe')) {
      r.probe = await measure(
        async () => {
          const [name, expected] = probeName();
          const res = await http.send('GET', `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`, scim);
          if (res.status !== 200) {
            return `${res.status} ${res.body}`;
          }
          const total = /"totalResults":(\d+)/.exec(res.body)?.[1];
          return total === String(expected) ? undefined : `200 with totalResults ${total} instead of ${expected} for ${name}: ${res.body}`;
        },
        timing,
        pids,
      );
      checkInterrupted();
      report('GET /Users?filter=userName eq (probe)', r.probe);
    }
    results.push(r);
    printVerdict(r);
    // The team scenario runs once, at the first size with enough users to fill the largest team.
    if (scenarios.has('teams') && !teams && rows >= Math.max(...teamSizes) + 1000) {
      log(`Team scenario: one team grown to ${teamSizes.join(', ')} members`);
      teams = await benchTeams(
        { pool, http, headers: scim, serverPid: server.child.pid as number, seconds: Math.min(timing.seconds, 5), warmupSeconds: 1 },
        teamSizes,
        log,
      );
      checkInterrupted();
    }
  }
  return { results, machine, teams };
}

/** The issue's targets: POST ≥ 40% of the INSERT ceiling; probe ≥ 25% of the lookup ceiling, and p99 ≤ 10 ms at 1M users. */
const postMet = (r: SizeResult) => (r.post && r.insert ? r.post.rps / r.insert.rps >= TARGETS.post : undefined);
const probeGatesP99 = (r: SizeResult) => r.size >= 1_000_000;
const probeMet = (r: SizeResult) =>
  r.probe && r.lookup ? r.probe.rps / r.lookup.rps >= TARGETS.probe && (!probeGatesP99(r) || r.probe.p99 <= TARGETS.probeP99Ms) : undefined;
const verdict = (met: boolean | undefined) => (met === undefined ? 'n/a' : met ? 'PASS' : 'FAIL');
const probeTarget = (r: SizeResult) => `≥ ${pct(TARGETS.probe)}${probeGatesP99(r) ? `, p99 ≤ ${TARGETS.probeP99Ms} ms` : ''}`;

function printVerdict(r: SizeResult) {
  if (r.post && r.insert) {
    log(`  POST  = ${pct(r.post.rps / r.insert.rps)} of the INSERT ceiling: ${verdict(postMet(r))} (target ≥ ${pct(TARGETS.post)})`);
  }
  if (r.probe && r.lookup) {
    const p99 = probeGatesP99(r) ? ` with p99 ${fmt(r.probe.p99, 2)} ms` : '';
    log(`  probe = ${pct(r.probe.rps / r.lookup.rps)} of the lookup ceiling${p99}: ${verdict(probeMet(r))} (target ${probeTarget(r)})`);
  }
}

function printSummary({ results, machine, teams }: { results: SizeResult[]; machine: string; teams?: TeamFigures[] }) {
  const cell = (m?: Measurement) => (m ? `${fmt(m.rps)} | ${fmt(m.p50, 2)} | ${fmt(m.p99, 2)}` : 'n/a | n/a | n/a');
  const ratio = (a?: Measurement, b?: Measurement) => (a && b ? pct(a.rps / b.rps) : 'n/a');
  console.log(
    `\n${machine}; ${CONCURRENCY} keep-alive clients, ${timing.seconds} s per measurement after ${timing.warmupSeconds} s warm-up.\n`,
  );
  console.log('| Users | Scenario | req/s | p50 ms | p99 ms | Ceiling req/s | Ratio | Target | Met |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---|---|');
  for (const r of results) {
    console.log(
      `| ${fmt(r.size)} | POST /Users | ${cell(r.post)} | ${r.insert ? fmt(r.insert.rps) : 'n/a'} | ${ratio(r.post, r.insert)} | ≥ ${pct(TARGETS.post)} | ${verdict(postMet(r))} |`,
    );
    console.log(
      `| ${fmt(r.size)} | GET /Users?filter=userName eq | ${cell(r.probe)} | ${r.lookup ? fmt(r.lookup.rps) : 'n/a'} | ${ratio(r.probe, r.lookup)} | ${probeTarget(r)} | ${verdict(probeMet(r))} |`,
    );
  }
  console.log(
    '\nCeilings: the same INSERT … RETURNING and the same lower(user_name) point lookup, sent through `pg` with 8 connections as named prepared statements, as the server sends its hot statements.',
  );
  if (teams) {
    console.log(
      `\nTeams (one client, ${Math.min(timing.seconds, 5)} s per latency measurement; full GET: median of 3):\n\n${teamReport(teams)}`,
    );
  }
}

const stop = (code: number) => {
  interrupted.abort();
  void cleanup().then(() => process.exit(code));
};
process.once('SIGINT', () => stop(130));
process.once('SIGTERM', () => stop(143));
main()
  .then(async (outcome) => {
    await cleanup();
    printSummary(outcome);
  })
  .catch(async (e: unknown) => {
    if (interrupted.signal.aborted) {
      return; // the signal handler cleans up and exits
    }
    console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    if (serverOutput) {
      console.error(`The server's last output:\n${serverOutput.trimEnd()}`);
    }
    await cleanup();
    process.exitCode = 1;
  });
