import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { embeddedEnv, EmbeddedEnv, isAlive, postmasterPid, runCli, runMain, startServer } from '../support/processes';
import { tempDir } from '../support/temp-dirs';

const spc = (env: EmbeddedEnv, token: string) =>
  fetch(`http://127.0.0.1:${env.PORT}/scim/v2/ServiceProviderConfig`, { headers: { Authorization: `Bearer ${token}` } });

const mode = (file: string) => statSync(file).mode & 0o777;

/** How the server's own pool reaches the embedded PostgreSQL, read over TCP with the stored password. */
async function appConnections(env: EmbeddedEnv): Promise<{ socket: number; tcp: number }> {
  const password = readFileSync(join(env.DATA_DIR, 'postgres-password'), 'utf8').trim();
  const pg = new Client({ host: '127.0.0.1', port: Number(env.EMBEDDED_PG_PORT), user: 'postgres', password, database: 'postgres' });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ socket: number; tcp: number }>(
      `SELECT count(*) FILTER (WHERE client_addr IS NULL)::int AS socket, count(*) FILTER (WHERE client_addr IS NOT NULL)::int AS tcp
         FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return rows[0] as { socket: number; tcp: number };
  } finally {
    await pg.end();
  }
}

describe('the server process on embedded PostgreSQL', () => {
  it('starts on an empty data dir, issues tokens from the CLI while running, restarts with its data, and stops cleanly', async () => {
    const env = await embeddedEnv();
    const first = await startServer(env);
    expect(mode(join(env.DATA_DIR, 'admin-key'))).toBe(0o600);
    expect(mode(join(env.DATA_DIR, 'postgres-password'))).toBe(0o600);
    expect(first.output()).toContain(join(env.DATA_DIR, 'admin-key'));
    expect(first.output()).not.toContain('lower-cases only ASCII'); // the embedded database folds all of Unicode
    // Not a terminal: JSON lines. The long steps say what they do, one line each; Nest's start-up chatter is debug.
    const lines = first
      .output()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string; context?: string });
    expect(lines.filter((l) => l.msg.startsWith('Initialising the embedded PostgreSQL'))).toHaveLength(1);
    expect(lines.filter((l) => /^Ran \d+ database migration\(s\)/.test(l.msg))).toHaveLength(1);
    expect(lines.filter((l) => ['RouterExplorer', 'InstanceLoader', 'RoutesResolver'].includes(l.context ?? ''))).toEqual([]);

    // The README's variables, from the server's own configuration; a shell can eval them.
    const shell = runCli(env, ['env']);
    expect(shell.status).toBe(0);
    const adminKey = readFileSync(join(env.DATA_DIR, 'admin-key'), 'utf8').trim();
    expect(shell.stdout).toContain(`\nBASE='http://127.0.0.1:${env.PORT}'\nADMIN_KEY='${adminKey}'\n`);
    const admin = await fetch(`http://127.0.0.1:${env.PORT}/admin/scim-tokens`, { headers: { Authorization: `Bearer ${adminKey}` } });
    expect(admin.status).toBe(200);

    const created = runCli(env, ['token', 'create', '--name', 'okta']);
    expect(created.status).toBe(0);
    expect(created.lastLine).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    const token = created.lastLine;
    expect((await spc(env, token)).status).toBe(200);

    const list = runCli(env, ['token', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/\tokta\tscim_[\w-]+\t.*\tactive/);
    expect(list.stdout).not.toContain(token);

    const pg = postmasterPid(env.DATA_DIR);
    expect(pg && isAlive(pg)).toBe(true);
    expect(mode(join(env.DATA_DIR, 'postgres', `.s.PGSQL.${env.EMBEDDED_PG_PORT}`))).toBe(0o700);
    const connections = await appConnections(env);
    expect(connections.tcp).toBe(0);
    expect(connections.socket).toBeGreaterThan(0);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(isAlive(pg as number)).toBe(false);
    expect(existsSync(join(env.DATA_DIR, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await startServer(env);
    expect(second.output()).not.toContain('Initialising');
    expect((await spc(env, token)).status).toBe(200);
    const id = list.stdout.split('\n')[1]?.split('\t')[0] ?? '';
    expect(runCli(env, ['token', 'revoke', id]).status).toBe(0);
    expect((await spc(env, token)).status).toBe(401);
    const pg2 = postmasterPid(env.DATA_DIR) as number;
    expect(await second.stop('SIGINT')).toBe(0);
    expect(isAlive(pg2)).toBe(false);
  });

  it('lets the CLI issue a token while no server runs, leaving no PostgreSQL behind', async () => {
    const env = await embeddedEnv();
    const created = runCli(env, ['token', 'create', '--name', 'entra', '--expires-in-days', '90']);
    expect(created.status).toBe(0);
    expect(created.lastLine).toMatch(/^scim_/);
    expect(postmasterPid(env.DATA_DIR)).toBeUndefined();

    const server = await startServer({ ...env, LOG_FORMAT: 'pretty' });
    expect((await spc(env, created.lastLine)).status).toBe(200);
    expect(await server.stop('SIGTERM')).toBe(0);
    // LOG_FORMAT=pretty: readable lines, a request on one line naming its token
    expect(server.output()).toMatch(/^\[[\d:.]+\] INFO: \[Bootstrap\] SCIM server ready: /m);
    expect(server.output()).toMatch(/INFO: GET \/scim\/v2\/ServiceProviderConfig 200 in \d+ ms \(token "entra"\)/);
  });

  it('reads .env from its working directory, so the tests (run elsewhere) never see a .env of the checkout', () => {
    const dir = tempDir('scim-dotenv-');
    writeFileSync(join(dir, '.env'), 'SCIM_MAX_RESULTS=lots\n');
    const res = runMain({}, { cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe('Invalid configuration: SCIM_MAX_RESULTS must be an integer from 1 to 10000 (got "lots")');
  });

  it('recovers from a PostgreSQL left running by a killed server', async () => {
    const env = await embeddedEnv();
    const crashed = await startServer(env);
    const token = runCli(env, ['token', 'create', '--name', 'x']).lastLine;
    const orphan = postmasterPid(env.DATA_DIR) as number;
    await crashed.stop('SIGKILL');
    expect(isAlive(orphan)).toBe(true);

    const recovered = await startServer(env);
    expect(recovered.output()).toContain('Stopping a stale embedded PostgreSQL');
    expect(isAlive(orphan)).toBe(false);
    expect((await spc(env, token)).status).toBe(200);
    const pg = postmasterPid(env.DATA_DIR) as number;
    expect(await recovered.stop('SIGTERM')).toBe(0);
    expect(isAlive(pg)).toBe(false);
  });

  it('falls back to TCP when DATA_DIR is too long for a Unix socket path', async () => {
    const env = await embeddedEnv();
    env.DATA_DIR = join(env.DATA_DIR, 'a-directory-name-long-enough-that-the-socket-path-exceeds-107-bytes');
    const server = await startServer(env);
    expect(existsSync(join(env.DATA_DIR, 'postgres', `.s.PGSQL.${env.EMBEDDED_PG_PORT}`))).toBe(false);
    const token = runCli(env, ['token', 'create', '--name', 'long']).lastLine;
    expect((await spc(env, token)).status).toBe(200);
    expect((await appConnections(env)).tcp).toBeGreaterThan(0);
    expect(await server.stop('SIGTERM')).toBe(0);
  });

  it('warns at start-up when DATABASE_URL points at a database that lower-cases only ASCII (a C locale)', async () => {
    const url = new URL(process.env.DATABASE_URL as string);
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS scim_c_locale WITH (FORCE)');
    await admin.query(`CREATE DATABASE scim_c_locale TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER libc LOCALE 'C'`);
    try {
      url.pathname = '/scim_c_locale';
      const server = await startServer({ ...(await embeddedEnv()), DATABASE_URL: url.toString() });
      expect(await server.stop('SIGTERM')).toBe(0);
      expect(server.output()).toContain('lower-cases only ASCII letters');
    } finally {
      await admin.query('DROP DATABASE IF EXISTS scim_c_locale WITH (FORCE)');
      await admin.end();
    }
  });

  it('refuses to start, in one clear line, when the configuration is invalid', () => {
    const bad = runMain({ PORT: 'eighty' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('Invalid configuration: PORT must be an integer from 1 to 65535 (got "eighty")');
    const prod = runMain({ NODE_ENV: 'production', ADMIN_API_KEY: 'k'.repeat(40) });
    expect(prod.status).toBe(1);
    expect(prod.stderr.trim()).toBe('Invalid configuration: DATABASE_URL is required when NODE_ENV=production');
  });

  it('says which port is taken when EMBEDDED_PG_PORT is in use', async () => {
    const env = await embeddedEnv();
    const blocker = createServer().listen(Number(env.EMBEDDED_PG_PORT), '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const res = runMain(env);
      expect(res.status).toBe(1);
      expect(res.stdout + res.stderr).toContain(`EMBEDDED_PG_PORT ${env.EMBEDDED_PG_PORT} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a data dir that is not a PostgreSQL data directory', async () => {
    const env = await embeddedEnv();
    mkdirSync(join(env.DATA_DIR, 'postgres'), { recursive: true });
    writeFileSync(join(env.DATA_DIR, 'postgres', 'stray.txt'), 'x');
    const res = runMain(env);
    expect(res.status).toBe(1);
    expect(res.stdout + res.stderr).toContain('is neither empty nor a PostgreSQL data directory');
  });
});
