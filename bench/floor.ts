/**
 * The floor for `npm run bench`: a bare node:http server, no framework, no SCIM validation, coercion or projection,
 * that answers the bench's requests with the server's own hot statements (the token lookup, then the user INSERT, the
 * first-page userName search, or one UPDATE for a PATCH) as named prepared statements. Run it in place of the server with
 * `BENCH_SERVER=dist/bench/floor.js npm run bench` to see what this machine allows before any framework cost.
 * Not a server to deploy: it checks only that a token exists and handles only the bench's requests (POST, probe, PATCH).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/env';
import { dataSourceOptions } from '../src/database/data-source-options';
import { USER_COLUMNS, USER_WITH_GROUPS } from '../src/users/users.repository';

const PROBE = 'userName eq "';

interface Row {
  id: string;
  data: Record<string, unknown>;
  created: Date;
  lastModified: Date;
  version: number;
  total?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const resource = (r: Row) => ({
  ...r.data,
  id: r.id,
  meta: { resourceType: 'User', created: r.created, lastModified: r.lastModified, version: `W/"${r.version}"` },
});

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/scim+json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

async function main() {
  const url = process.env.DATABASE_URL as string;
  const schema = new DataSource({ ...dataSourceOptions(loadConfig({ DATABASE_URL: url, NODE_ENV: 'test' }), url), migrationsRun: true });
  await schema.initialize();
  await schema.destroy();
  const pool = new Pool({ connectionString: url, max: 10 });

  const authorised = async (req: IncomingMessage) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const { rows } = await pool.query<{ hash: Buffer }>({
      name: 'token',
      text: 'SELECT token_hash AS hash FROM scim_tokens WHERE prefix = $1 AND revoked_at IS NULL',
      values: [token.slice(0, 13)],
    });
    const hash = sha256(token);
    return rows.some((r) => r.hash.length === hash.length && timingSafeEqual(r.hash, hash));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/health') {
      return send(res, 200, { status: 'ok' });
    }
    if (req.method === 'POST' && req.url === '/admin/scim-tokens') {
      await readBody(req);
      const token = `scim_${randomBytes(32).toString('base64url')}`;
      await pool.query(`INSERT INTO scim_tokens (name, prefix, token_hash) VALUES ('bench', $1, $2)`, [token.slice(0, 13), sha256(token)]);
      return send(res, 201, { token });
    }
    if (!(await authorised(req))) {
      return send(res, 401, { status: '401' });
    }
    if (req.method === 'POST' && req.url === '/scim/v2/Users') {
      const { password: _password, ...data } = JSON.parse(await readBody(req)) as Record<string, unknown>;
      const emails = Array.isArray(data.emails) ? (data.emails as { value: string; primary?: boolean }[]) : [];
      const { rows } = await pool.query<Row>({
        name: 'insert',
        text: `INSERT INTO users AS u (user_name, external_id, display_name, active, primary_email, emails, role, data, password_hash)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${USER_COLUMNS}, '[]'::json AS groups`,
        values: [
          data.userName,
          data.externalId ?? null,
          data.displayName ?? null,
          data.active !== false,
          emails.find((e) => e.primary)?.value ?? null,
          emails.map((e) => e.value.toLowerCase()),
          'viewer',
          data,
          null,
        ],
      });
      return send(res, 201, resource(rows[0] as Row));
    }
    const query = new URL(req.url ?? '/', 'http://floor').searchParams.get('filter') ?? '';
    if (req.method === 'GET' && query.startsWith(PROBE)) {
      const { rows } = await pool.query<Row>({
        name: 'probe',
        text: `SELECT ${USER_WITH_GROUPS}, count(*) OVER () AS total FROM users u WHERE lower(u.user_name) = lower($1::text) ORDER BY u.created, u.id LIMIT $2`,
        values: [query.slice(PROBE.length, -1), 100],
      });
      const total = rows[0] ? Number(rows[0].total) : 0;
      return send(res, 200, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: total,
        itemsPerPage: rows.length,
        startIndex: 1,
        Resources: rows.map(resource),
      });
    }
    const patched = /^\/scim\/v2\/Users\/([0-9a-f-]{36})$/.exec(req.url ?? '');
    if (req.method === 'PATCH' && patched) {
      // The bench's PATCH replaces displayName: one UPDATE does it (the version trigger bumps version and lastModified).
      const { Operations } = JSON.parse(await readBody(req)) as { Operations: { value: string }[] };
      const name = Operations[0]?.value ?? '';
      const { rows } = await pool.query<Row>({
        name: 'patch',
        text: `UPDATE users u SET display_name = $2, data = jsonb_set(u.data, '{displayName}', to_jsonb($2::text)) WHERE u.id = $1 RETURNING ${USER_WITH_GROUPS}`,
        values: [patched[1], name],
      });
      return rows[0] ? send(res, 200, resource(rows[0])) : send(res, 404, { status: '404' });
    }
    send(res, 404, { status: '404' });
  };

  const server = createServer((req, res) => void handle(req, res).catch((e: unknown) => send(res, 500, { detail: String(e) })));
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT), process.env.HOST);
  process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
}

void main();
