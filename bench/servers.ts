import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/support/ports';
import { HttpClient } from './load';

/** One server under test: this server, the bare floor (bench/floor.ts), or another build to compare with. */
export interface BenchServer {
  readonly label: string;
  readonly main: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly http: HttpClient;
  /** Headers of an authenticated SCIM request (a token this server issued). */
  readonly scim: Record<string, string>;
  /** The server's last output (warnings and errors at LOG_LEVEL=warn), for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

export const ADMIN_KEY = randomBytes(32).toString('base64url');

/**
 * Starts a compiled entry point as production runs it, in its own process (so its CPU is not the load generator's),
 * waits for /health, and issues it a SCIM token through the admin API.
 */
export async function startServer(
  label: string,
  main: string,
  o: { databaseUrl: string; work: string; concurrency: number; cpuProfileDir?: string; env?: Record<string, string> },
): Promise<BenchServer> {
  const port = await freePort();
  const profile = o.cpuProfileDir ? [`--cpu-prof`, `--cpu-prof-dir=${resolve(o.cpuProfileDir)}`] : [];
  const child = spawn(process.execPath, [...profile, resolve(main)], {
    cwd: o.work, // no developer .env or ./.data is picked up
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: o.databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ADMIN_API_KEY: ADMIN_KEY,
      DATA_DIR: join(o.work, `app-${label}`),
      ...(process.env.BENCH_NODE_OPTIONS && label !== 'floor' ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const http = new HttpClient(port, o.concurrency);
  const stop = async () => {
    http.close();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if ((await Promise.race([exited.then(() => true), sleep(15_000, false)])) === false) {
        child.kill('SIGKILL');
      }
    }
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`${label} exited with ${child.exitCode} before it was ready:\n${output}`);
      }
      if (
        await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        )
      ) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`${label} did not answer /health within 60 s:\n${output}`);
      }
      await sleep(100);
    }
    const issued = await http.send(
      'POST',
      '/admin/scim-tokens',
      { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      JSON.stringify({ name: `bench ${label}` }),
    );
    if (issued.status !== 201) {
      throw new Error(`${label}: POST /admin/scim-tokens answered ${issued.status}: ${issued.body}`);
    }
    const token = (JSON.parse(issued.body) as { token: string }).token;
    return {
      label,
      main,
      port,
      child,
      http,
      scim: { authorization: `Bearer ${token}`, accept: 'application/scim+json' },
      output: () => output,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
