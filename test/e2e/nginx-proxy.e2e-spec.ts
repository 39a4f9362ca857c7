import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createConnection, Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, TestApp } from '../support/app';
import { freePort } from '../support/ports';
import { USER } from '../support/scim';
import { tempDir } from '../support/temp-dirs';

/*
 * The production recipe deploy/nginx/scim.conf, run with Debian's nginx and a self-signed certificate: SCIM over
 * HTTPS through the proxy, with PUBLIC_BASE_URL in meta.location. The test starts an nginx of its own (its own prefix,
 * configuration, pid file and free ports in a temporary directory, never the system's nginx service) and stops it.
 * Without nginx or openssl on the machine it is skipped, except under CI=true (.ci/run installs both), where it fails.
 */

const onPath = (command: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const available = onPath('nginx') && onPath('openssl');
if (!available && process.env.CI === 'true') {
  throw new Error('nginx and openssl are needed for the proxy test (apt-get install -y nginx openssl)');
}
const describeWithNginx = available ? describe : describe.skip;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request over TLS that trusts only the test's certificate, checked for the name "localhost". */
function https(port: number, ca: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', servername: 'localhost', port, method, path, ca, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

function http(port: number, path: string) {
  return new Promise<Answer>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, headers: { Host: 'localhost' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
    })
      .once('error', reject)
      .end();
  });
}

async function listening(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = createConnection(port, '127.0.0.1', () => resolve(true));
      socket.once('error', () => resolve(false));
      socket.once('connect', () => socket.end());
    });
    if (up) {
      return;
    }
    await sleep(50);
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** The recipe with this machine's names, ports and files; the IPv6 listeners are left out (no port of ours there). */
function recipe(appPort: number, httpPort: number, httpsPort: number, dir: string): string {
  const text = readFileSync(join(__dirname, '../../deploy/nginx/scim.conf'), 'utf8');
  const replaced = text
    .replaceAll('scim.example.com', 'localhost')
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${appPort};`)
    .replace(/^\s*listen \[::\].*$/gm, '')
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 443 ssl;', `listen 127.0.0.1:${httpsPort} ssl;`)
    .replace('/etc/ssl/scim/fullchain.pem', join(dir, 'cert.pem'))
    .replace('/etc/ssl/scim/privkey.pem', join(dir, 'key.pem'));
  // Each substitution must have applied, or the test would run some other configuration than the recipe.
  for (const expected of [`127.0.0.1:${appPort}`, `127.0.0.1:${httpPort};`, `127.0.0.1:${httpsPort} ssl`, 'cert.pem', 'key.pem']) {
    expect(replaced).toContain(expected);
  }
  return replaced;
}

describeWithNginx('nginx with TLS in front of the server (deploy/nginx/scim.conf)', () => {
  let t: TestApp;
  let appServer: Server;
  let nginx: ChildProcess | undefined;
  let dir: string;
  let cert: string;
  let httpsPort: number;
  let httpPort: number;
  let token: string;
  let nginxLog = '';

  beforeAll(async () => {
    dir = tempDir('scim-nginx-');
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost'],
        ...['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    [httpsPort, httpPort] = [await freePort(), await freePort()];
    const appPort = await freePort();

    t = await createTestApp({ PUBLIC_BASE_URL: `https://localhost:${httpsPort}` });
    token = await t.token();
    appServer = (t.http as Server).listen(appPort, '127.0.0.1');
    await new Promise((resolve) => appServer.once('listening', resolve));

    writeFileSync(join(dir, 'scim.conf'), recipe(appPort, httpPort, httpsPort, dir));
    // nginx's own frame: everything in the test's directory. As root, workers run as nobody (temp paths are theirs).
    const asRoot = process.getuid?.() === 0;
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        asRoot ? 'user nobody nogroup;' : '',
        'worker_processes 1;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')} warn;`,
        'events { worker_connections 64; }',
        'http {',
        `  access_log ${join(dir, 'access.log')};`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((p) => `  ${p}_temp_path ${join(dir, `${p}_temp`)};`),
        `  include ${join(dir, 'scim.conf')};`,
        '}',
      ].join('\n'),
    );
    const started = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nginx = started;
    started.stdout?.on('data', (c: Buffer) => (nginxLog += c.toString()));
    started.stderr?.on('data', (c: Buffer) => (nginxLog += c.toString()));
    const exited = new Promise<never>((_, reject) =>
      started.once('exit', (code) => reject(new Error(`nginx exited with ${code}: ${nginxLog}`))),
    );
    await Promise.race([listening(httpsPort, Date.now() + 15_000), exited]);
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const stopped = new Promise((resolve) => nginx?.once('exit', resolve));
      nginx.kill('SIGQUIT'); // graceful: finish the requests in progress, then exit
      await stopped;
    }
    await new Promise((resolve) => appServer?.close(resolve));
    await t?.close();
  });

  it('serves SCIM over HTTPS, with meta.location and Location on the public URL', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const spc = await https(httpsPort, cert, 'GET', '/scim/v2/ServiceProviderConfig', auth);
    expect(spc.status).toBe(200);
    expect(spc.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(JSON.parse(spc.body).meta.location).toBe(`https://localhost:${httpsPort}/scim/v2/ServiceProviderConfig`);

    const body = JSON.stringify({ schemas: [USER], userName: 'proxied@example.com' });
    const created = await https(
      httpsPort,
      cert,
      'POST',
      '/scim/v2/Users',
      { ...auth, 'Content-Type': 'application/scim+json', 'Content-Length': String(Buffer.byteLength(body)) },
      body,
    );
    expect(created.status).toBe(201);
    const user = JSON.parse(created.body) as { id: string; meta: { location: string } };
    expect(user.meta.location).toBe(`https://localhost:${httpsPort}/scim/v2/Users/${user.id}`);
    expect(created.headers.location).toBe(user.meta.location);

    const read = await https(httpsPort, cert, 'GET', `/scim/v2/Users/${user.id}`, auth);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe(created.headers.etag);
  });

  it('links / to the public URLs, and passes errors through as SCIM errors', async () => {
    const root = await https(httpsPort, cert, 'GET', '/');
    expect(JSON.parse(root.body).links.scim).toBe(`https://localhost:${httpsPort}/scim/v2`);
    const refused = await https(httpsPort, cert, 'GET', '/scim/v2/Users');
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ status: '401' });
    // A body over the server's BODY_LIMIT (1mb) but under nginx's client_max_body_size: the server's SCIM 413.
    const big = JSON.stringify({ schemas: [USER], userName: 'big', title: 'x'.repeat(1_500_000) });
    const tooLarge = await https(
      httpsPort,
      cert,
      'POST',
      '/scim/v2/Users',
      { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json', 'Content-Length': String(big.length) },
      big,
    );
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ status: '413', detail: expect.stringContaining('BODY_LIMIT') });
  });

  it("gives each request nginx's request id unless the client sent one", async () => {
    const given = await https(httpsPort, cert, 'GET', '/health', { 'X-Request-Id': 'idp-req-7' });
    expect(given.headers['x-request-id']).toBe('idp-req-7');
    const made = await https(httpsPort, cert, 'GET', '/health');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('redirects plain HTTP to HTTPS, keeping the method (308)', async () => {
    const res = await http(httpPort, '/scim/v2/Users?count=1');
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe('https://localhost/scim/v2/Users?count=1');
  });
});
