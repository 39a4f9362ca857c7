import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';
import { tempDir } from './temp-dirs';

/** The compiled entry points (npm test builds them first), run as a user would run them. */
const MAIN = join(__dirname, '../../dist/src/main.js');
const CLI = join(__dirname, '../../dist/src/cli.js');

export interface EmbeddedEnv {
  DATA_DIR: string;
  EMBEDDED_PG_PORT: string;
  PORT: string;
}

/** A fresh data directory and ports for an embedded-mode server; no DATABASE_URL. Removed after the spec file. */
export async function embeddedEnv(): Promise<EmbeddedEnv> {
  return { DATA_DIR: join(tempDir('scim-life-'), 'data'), EMBEDDED_PG_PORT: String(await freePort()), PORT: String(await freePort()) };
}

const childEnv = (env: object) => {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env } as NodeJS.ProcessEnv;
};

let emptyDir: string | undefined;
/**
 * The working directory of the server and CLI processes: an empty one of their own, because they read `.env` from
 * theirs, and a developer's `.env` in the checkout (a DATABASE_URL, a PORT) must not reach the tests.
 */
const childCwd = (o: { cwd?: string }) => o.cwd ?? (emptyDir ??= tempDir('scim-cwd-'));

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

export function startServer(env: object): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], { env: childEnv(env), cwd: childCwd({}), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('SCIM server ready')) {
        clearTimeout(timer);
        resolve({
          child,
          output: () => out,
          stop: (signal) => {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${out}`));
    });
  });
}

export function runCli(env: object, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: childEnv(env), cwd: childCwd({}), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lastLine: r.stdout.trimEnd().split('\n').pop() ?? '' };
}

/** Runs the server to its exit (a start-up that fails); `cwd` is where it looks for `.env`. */
export function runMain(env: object, o: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [MAIN], { env: childEnv(env), cwd: childCwd(o), encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
