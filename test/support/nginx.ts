import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports';

/** Debian's nginx (`apt-get install nginx`; .ci/run installs it): on PATH, or where Debian puts it. */
export function nginxBinary(): string {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next
    }
  }
  throw new Error('nginx is not installed: apt-get install -y nginx (the forward-auth test runs a real nginx)');
}

const listening = async (port: number, ms: number) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) {
      return;
    }
    await sleep(20);
  }
  throw new Error(`nginx did not listen on ${port} within ${ms} ms`);
};

export interface OwnNginx {
  port: number;
  stop(): Promise<void>;
}

/**
 * An nginx of a test's own: its config, prefix, pid file, logs and temp paths in a temporary directory, on a free
 * port, in the foreground (daemon off) so that it is this process's child. Never the system service.
 * `server` is the body of the one `server` block (without `listen`), `http` extra directives for the http block.
 */
export async function startNginx(server: string, http = ''): Promise<OwnNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-nginx-'));
  chmodSync(dir, 0o755);
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(dir, 'tmp', sub), { recursive: true, mode: 0o777 });
    chmodSync(join(dir, 'tmp', sub), 0o777); // the workers run as nobody when the tests run as root
  }
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  ${http}
  server {
    listen 127.0.0.1:${port};
    ${server}
  }
}
`,
  );
  const child: ChildProcess = spawn(nginxBinary(), ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT'); // graceful: the master waits for its worker
      if ((await Promise.race([exited.then(() => true), sleep(5000, false)])) === false) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      listening(port, 10_000),
      exited.then(() => {
        const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
        throw new Error(`nginx exited at start: ${stderr}${log}`);
      }),
    ]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, stop };
}
