/**
 * npm run bench — not a test: seeds users set-based, starts the real server (and the bare floor, bench/floor.ts, and
 * any build named in BENCH_COMPARE) as child processes on the same database, and measures them with concurrent
 * keep-alive clients. Prints figures, ratios and the goals they are held to; exits 0 whatever the figures are.
 *
 * Sections (BENCH_SECTIONS, default platform,keys,lists,teams):
 * - platform: POST /Users, the userName probe and a user PATCH at BENCH_PLATFORM_USERS users (10,000), on every server,
 *   BENCH_ROUNDS rounds (3) of BENCH_SECONDS (8) after BENCH_WARMUP_SECONDS (2); medians and ratios to the floor.
 * - keys: a user API key checked by introspection and forward auth with 1 and 8 clients (goal p50 ≤ 2 ms), and a user
 *   PATCH with the audit log on and off (a second server with AUDIT_LOG=false), at BENCH_PLATFORM_USERS users.
 * - lists: single list pages at BENCH_SCALE_USERS users (1,000,000): no filter, indexed filters, sorted, first and late cursor pages.
 * - teams: one team grown to BENCH_TEAM_SIZES members (10,1000,10000,100000) at BENCH_SCALE_USERS users.
 *
 * Env: DATABASE_URL (else an embedded PostgreSQL in a temp dir; with it, the database `scim_bench` on that server is
 * dropped and recreated), BENCH_COMPARE (label=path/to/main.js[,…]: other builds to measure beside this one),
 * BENCH_CPU_PROF=<dir> (this server writes a V8 CPU profile there on exit).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Pool } from 'pg';
import { loadConfig } from '../src/config/env';
import { openDatabase } from '../src/database/embedded-postgres';
import { freePort } from '../test/support/ports';
import { parentPid } from './cpu';
import { benchKeys, keysReport, KeysResult } from './keys';
import { benchLists, ListFigure, listReport } from './lists';
import { benchPlatform, platformReport, PlatformResult } from './platform';
import { checkSeedShape, seedUsers, userBody } from './seed';
import { BenchServer, startServer } from './servers';
import { benchTeams, TeamFigures, teamReport } from './teams';

const CONCURRENCY = 8;
const BENCH_DB = 'scim_bench';
const SERVER = 'express';

/** Aborted on SIGINT/SIGTERM: the load loops stop, then the cleanup runs. */
const interrupted = new AbortController();

const env = process.env;
const number = (name: string, fallback: number, min: number): number => {
  const n = Number(env[name] ?? fallback);
  if (!Number.isFinite(n) || n < min) {
    console.error(`${name} must be a number ≥ ${min}, got "${env[name]}"`);
    process.exit(2);
  }
  return n;
};
const list = (name: string, fallback: string) =>
  (env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
const sections = new Set(list('BENCH_SECTIONS', 'platform,keys,lists,teams'));
const platformUsers = number('BENCH_PLATFORM_USERS', 10_000, 100);
const scaleUsers = number('BENCH_SCALE_USERS', 1_000_000, 1000);
const teamSizes = list('BENCH_TEAM_SIZES', '10,1000,10000,100000').map(Number);
const timing = {
  concurrency: CONCURRENCY,
  seconds: number('BENCH_SECONDS', 8, 1),
  warmupSeconds: number('BENCH_WARMUP_SECONDS', 2, 0),
  signal: interrupted.signal,
};
const rounds = number('BENCH_ROUNDS', 3, 1);
const compare = list('BENCH_COMPARE', '').map((spec) => {
  const [label, path] = spec.split('=');
  if (!label || !path) {
    console.error(`BENCH_COMPARE takes label=path/to/main.js[,…], got "${spec}"`);
    process.exit(2);
  }
  return { label, main: path };
});

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
  const dropAndCreate = async (create: boolean) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
      if (create) {
        await client.query(`CREATE DATABASE ${BENCH_DB}`);
      }
    } finally {
      await client.end();
    }
  };
  await dropAndCreate(true);
  if (env.DATABASE_URL) {
    cleanups.push({ name: `drop the ${BENCH_DB} database`, run: () => dropAndCreate(false) });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${BENCH_DB}`;
  return { url: url.toString(), where };
}

interface Outcome {
  machine: string;
  platform?: PlatformResult;
  keys?: KeysResult;
  lists?: ListFigure[];
  teams?: TeamFigures[];
}

async function main(): Promise<Outcome> {
  const work = mkdtempSync(join(tmpdir(), 'scim-bench-'));
  chmodSync(work, 0o755); // the postgres OS user (we may run as root) must traverse it
  cleanups.push({ name: 'remove the temp dir', run: async () => rmSync(work, { recursive: true, force: true }) });
  if (env.BENCH_CPU_PROF) {
    mkdirSync(resolve(env.BENCH_CPU_PROF), { recursive: true });
  }
  const db = await openBenchDatabase(work);
  log(`Database: ${db.where}`);

  const start = async (label: string, main: string, cpuProfileDir?: string, extraEnv?: Record<string, string>) => {
    const s = await startServer(label, main, { databaseUrl: db.url, work, concurrency: CONCURRENCY, cpuProfileDir, env: extraEnv });
    cleanups.push({ name: `stop ${label}`, run: () => s.stop() });
    log(`Server ${label}: node ${main} on port ${s.port} (pid ${s.child.pid})`);
    return s;
  };
  // The server first: it runs the migrations the others find done.
  const server = await start(SERVER, join(__dirname, '../src/main.js'), env.BENCH_CPU_PROF);
  const pool = new Pool({ connectionString: db.url, max: CONCURRENCY, idleTimeoutMillis: 0, application_name: 'scim-bench' });
  cleanups.push({ name: 'close the pg pool', run: () => pool.end() });
  const backend = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const postmasterPid = backend === undefined ? undefined : parentPid(backend);

  // User 0 goes through POST /Users; the seed must build exactly the row the app stored for it.
  const created = await server.http.send(
    'POST',
    '/scim/v2/Users',
    { ...server.scim, 'content-type': 'application/scim+json' },
    JSON.stringify(userBody(0)),
  );
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
      : `WARNING: the seed differs from POST /Users:\n  ${differences.join('\n  ')}`,
  );

  let seeded = 0;
  const seedTo = async (n: number) => {
    if (n <= seeded) {
      return;
    }
    const t0 = Date.now();
    await seedUsers(pool, seeded + 1, n, role);
    seeded = n;
    await pool.query('VACUUM ANALYZE users');
    await pool.query('CHECKPOINT').catch(() => undefined); // needs pg_checkpoint rights on a shared server; best effort
    log(`Seeded users 1..${n.toLocaleString('en-US')} in ${((Date.now() - t0) / 1000).toFixed(1)} s (with VACUUM ANALYZE and CHECKPOINT)`);
  };

  const outcome: Outcome = { machine };
  if (sections.has('platform')) {
    await seedTo(platformUsers);
    const others: BenchServer[] = [await start('floor', join(__dirname, 'floor.js'))];
    for (const c of compare) {
      others.push(await start(c.label, c.main));
    }
    log(`Platform section: ${platformUsers.toLocaleString('en-US')} users, ${rounds} rounds`);
    outcome.platform = await benchPlatform([server, ...others], { pool, seeded, rounds, timing, postmasterPid }, log);
    for (const s of others) {
      await s.stop();
    }
  }
  if (sections.has('keys')) {
    await seedTo(platformUsers);
    const noAudit = await start('no-audit', join(__dirname, '../src/main.js'), undefined, { AUDIT_LOG: 'false' });
    log(`Keys section: key checks with 1 and 8 clients; user PATCH with and without the audit log, ${rounds} rounds`);
    outcome.keys = await benchKeys(server, noAudit, { pool, rounds, timing, postmasterPid }, log);
    await noAudit.stop();
  }
  if (sections.has('lists')) {
    await seedTo(scaleUsers);
    log(`List section: single pages at ${seeded.toLocaleString('en-US')} users, one client`);
    outcome.lists = await benchLists(pool, server, Math.min(timing.seconds, 5), log);
  }
  if (sections.has('teams')) {
    await seedTo(Math.max(scaleUsers, Math.max(...teamSizes) + 1000));
    log(`Team section: one team grown to ${teamSizes.join(', ')} members, at ${seeded.toLocaleString('en-US')} users`);
    outcome.teams = await benchTeams(
      {
        pool,
        http: server.http,
        headers: server.scim,
        serverPid: server.child.pid as number,
        seconds: Math.min(timing.seconds, 5),
        warmupSeconds: 1,
      },
      teamSizes,
      log,
    );
  }
  return outcome;
}

function printSummary({ machine, platform, keys, lists, teams }: Outcome) {
  console.log(
    `\n${machine}; ${CONCURRENCY} keep-alive clients, ${timing.seconds} s per measurement after ${timing.warmupSeconds} s warm-up.`,
  );
  if (platform) {
    console.log(
      `\nPlatform (${platformUsers.toLocaleString('en-US')} users; medians of ${rounds} rounds; goals for the default server, ${SERVER}):\n\n${platformReport(platform, SERVER)}`,
    );
  }
  if (keys) {
    console.log(
      `\nAPI key checks (one live key whose user is in two teams; ${timing.seconds} s each after ${timing.warmupSeconds} s warm-up):\n\n${keysReport(keys)}`,
    );
  }
  if (lists) {
    console.log(
      `\nList pages at ${scaleUsers.toLocaleString('en-US')} users (one client; latency includes one loopback round trip):\n\n${listReport(lists)}`,
    );
  }
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
    await cleanup();
    process.exitCode = 1;
  });
