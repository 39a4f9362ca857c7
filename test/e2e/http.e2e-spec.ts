import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { openApiDocument } from '../../src/app.setup';
import { createTestApp, TestApp } from '../support/app';
import { USER } from '../support/scim';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SCIM_JSON = 'application/scim+json; charset=utf-8';

describe('SCIM HTTP plumbing', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '2kb', SCIM_MAX_RESULTS: '150', PUBLIC_BASE_URL: 'https://scim.example.com/' });
    token = await t.token();
  });
  afterAll(() => t.close());

  const scim = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) =>
    request(t.http)[method](`/scim/v2${path}`).set('Authorization', `Bearer ${token}`);

  it('serves ServiceProviderConfig truthfully, as application/scim+json', async () => {
    const res = await scim('get', '/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(SCIM_JSON);
    expect(res.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 4 * 1024 * 1024 },
      changePassword: { supported: true },
      sort: { supported: true },
      patch: { supported: true },
      etag: { supported: true },
      filter: { supported: true, maxResults: 150 },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
      meta: { resourceType: 'ServiceProviderConfig', location: 'https://scim.example.com/scim/v2/ServiceProviderConfig' },
    });
  });

  it('answers malformed JSON with 400 invalidSyntax', async () => {
    for (const type of ['application/scim+json', 'application/json']) {
      const res = await scim('post', '/Users').set('Content-Type', type).send('{"userName": ');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(SCIM_JSON);
      expect(res.body).toEqual({
        schemas: [ERROR],
        status: '400',
        scimType: 'invalidSyntax',
        detail: expect.stringMatching(/not valid JSON/),
      });
    }
    const unquoted = await scim('post', '/Users')
      .set('Content-Type', 'application/scim+json')
      .send('{"userName":"b","password": Secret-in-clear-text}');
    expect(unquoted.body).toMatchObject({ scimType: 'invalidSyntax', detail: 'The request body is not valid JSON' });
    const empty = await scim('post', '/Users').set('Content-Type', 'application/scim+json').send('');
    expect(empty.body).toMatchObject({ status: '400', scimType: 'invalidSyntax', detail: 'The User must be a JSON object' });
  });

  it('answers a body over BODY_LIMIT with 413', async () => {
    const res = await scim('post', '/Users')
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify({ a: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ schemas: [ERROR], status: '413', detail: expect.stringMatching(/2kb/) });
  });

  it('answers 2 and 8 MB bodies with a 413 that Node fetch can read, and the connection still serves (the body is drained, not cut off)', async () => {
    const server = t.http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/scim/v2/Users`;
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
      for (const mb of [2, 8, 2, 8]) {
        const body = JSON.stringify({ schemas: [USER], userName: 'big', title: 'x'.repeat(mb * 1024 * 1024) });
        const res = await fetch(url, { method: 'POST', headers, body });
        expect(res.status).toBe(413);
        expect(await res.json()).toEqual({ schemas: [ERROR], status: '413', detail: expect.stringMatching(/2kb/) });
        // The next request goes over the same keep-alive connection.
        const next = await fetch(`${url}?count=0`, { headers });
        expect(next.status).toBe(200);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers a non-JSON or non-UTF-8 body with 415', async () => {
    const text = await scim('post', '/Users').set('Content-Type', 'text/plain').send('hello');
    expect(text.status).toBe(415);
    expect(text.body).toEqual({ schemas: [ERROR], status: '415', detail: expect.stringContaining('got text/plain') });
    const latin1 = await scim('post', '/Users').set('Content-Type', 'application/scim+json; charset=iso-8859-1').send('{}');
    expect(latin1.status).toBe(415);
    expect(latin1.body).toEqual({ schemas: [ERROR], status: '415', detail: expect.stringContaining('iso-8859-1') });
  });

  it('answers an unknown route with 404 and a wrong method with 405', async () => {
    const missing = await scim('get', '/Nothing');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe(SCIM_JSON);
    expect(missing.body).toEqual({ schemas: [ERROR], status: '404', detail: expect.stringContaining('/scim/v2/Nothing') });

    const wrong = await scim('delete', '/ServiceProviderConfig');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    expect(wrong.body).toEqual({ schemas: [ERROR], status: '405', detail: expect.stringMatching(/DELETE .* use GET/) });
  });

  it('answers a malformed path with a SCIM 400 and an over-long id with a SCIM 404', async () => {
    const malformed = await scim('get', '/Users/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toBe(SCIM_JSON);
    expect(malformed.body).toEqual({
      schemas: [ERROR],
      status: '400',
      detail: "The request path is not valid: Failed to decode param '%E0%A4%A'",
    });
    const long = await scim('get', `/Users/${'a'.repeat(150)}`);
    expect(long.status).toBe(404);
    expect(long.body).toEqual({
      schemas: [ERROR],
      status: '404',
      detail: expect.stringMatching(/^User a{150} not found$/),
    });
  });

  it('answers odd paths under /docs (a NUL, dot segments, a bare %) with a 404, never a 500', async () => {
    for (const path of ['/docs/x%00', '/docs/../x', '/docs/%2e%2e/x', '/docs/%', '/x%00']) {
      const res = await request(t.http).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body.schemas).toEqual([ERROR]);
    }
  });

  it('matches paths case-insensitively, with or without a trailing slash, as clients vary', async () => {
    for (const path of ['/scim/v2/users', '/scim/v2/Users/', '/SCIM/V2/USERS?count=0']) {
      const res = await request(t.http).get(path).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(SCIM_JSON);
      expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    }
  });

  it('echoes X-Request-Id, or makes one up', async () => {
    const given = await scim('get', '/ServiceProviderConfig').set('X-Request-Id', 'req-42');
    expect(given.headers['x-request-id']).toBe('req-42');
    const made = await scim('get', '/ServiceProviderConfig');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await scim('get', '/ServiceProviderConfig').set('X-Request-Id', 'a b<script>');
    expect(unsafe.headers['x-request-id']).not.toBe('a b<script>');
  });

  it('puts helmet headers on API routes but not on Swagger UI', async () => {
    const api = await scim('get', '/ServiceProviderConfig');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    const docs = await request(t.http).get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    expect(docs.headers['content-security-policy']).toBeUndefined();
  });

  it('reports liveness and readiness without a token', async () => {
    const live = await request(t.http).get('/health');
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    const ready = await request(t.http).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.database.status).toBe('up');
  });

  it('answers / without a token: the service, its version and links, as JSON or as a page for a browser', async () => {
    const json = await request(t.http).get('/');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toEqual({
      name: 'SCIM 2.0 server',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      description: expect.stringContaining('SCIM 2.0'),
      links: {
        scim: 'https://scim.example.com/scim/v2',
        docs: 'https://scim.example.com/docs',
        openapi: 'https://scim.example.com/docs-json',
        health: 'https://scim.example.com/health',
      },
    });
    const page = await request(t.http).get('/').set('Accept', 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<a href="https://scim.example.com/docs">');
    expect(page.text).toContain('https://scim.example.com/scim/v2');
  });

  it('serves the OpenAPI document with its bearer schemes, and the committed openapi.json is current', async () => {
    const res = await request(t.http).get('/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(['admin', 'apiKey', 'introspection', 'scim']);
    const committed = JSON.parse(readFileSync('openapi.json', 'utf8')) as unknown;
    // When this fails: npm run openapi:sync, then commit openapi.json.
    expect(committed).toEqual(JSON.parse(JSON.stringify(openApiDocument(t.app))));
  });
});

describe('request logging', () => {
  it('writes one JSON line per request with its request id, the SCIM error of a rejected one, and never a secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const app = await createTestApp({ LOG_LEVEL: 'info' }, sink);
    try {
      const token = await app.token();
      const created = await request(app.http)
        .post('/scim/v2/Users')
        .set('Authorization', `Bearer ${token}`)
        .set('X-Request-Id', 'req-log-1')
        .send({ schemas: [USER], userName: 'logged@example.com', password: 'Sup3r-Secret-Pw' });
      expect(created.status).toBe(201);
      const rejected = await request(app.http)
        .get('/scim/v2/Users?filter=nonsense')
        .set('Authorization', `Bearer ${token}`)
        .set('X-Request-Id', 'req-log-2');
      expect(rejected.status).toBe(400);
      const probe = await request(app.http)
        .get(`/scim/v2/Users?filter=${encodeURIComponent('userName eq "logged@example.com" or externalId eq jyoung')}&count=5`)
        .set('Authorization', `Bearer ${token}`)
        .set('X-Request-Id', 'req-log-3');
      expect(probe.status).toBe(200);
      const taken = await request(app.http)
        .post('/scim/v2/Users')
        .set('Authorization', `Bearer ${token}`)
        .set('X-Request-Id', 'req-log-4')
        .send({ schemas: [USER], userName: 'LOGGED@example.com' });
      expect(taken.status).toBe(409);
      expect(taken.body.detail).toContain('LOGGED@example.com'); // the client is told which name

      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      // A service's own line carries the request id of the request it ran in.
      expect(entries).toContainEqual(expect.objectContaining({ reqId: 'req-log-1', context: 'UsersService', msg: 'user created' }));
      expect(entries).toContainEqual(
        expect.objectContaining({
          reqId: 'req-log-1',
          level: 30,
          msg: 'request completed',
          req: expect.objectContaining({ method: 'POST', url: '/scim/v2/Users', authorization: '[redacted]' }),
          res: { statusCode: 201 },
        }),
      );
      expect(entries).toContainEqual(
        expect.objectContaining({
          reqId: 'req-log-2',
          level: 40,
          msg: 'request completed',
          res: { statusCode: 400 },
          scimType: 'invalidFilter',
        }),
      );
      // Every request line names the SCIM token that made it; personal data stays out of URLs and details.
      expect(entries).toContainEqual(
        expect.objectContaining({
          reqId: 'req-log-3',
          scimToken: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'e2e' },
          req: expect.objectContaining({
            url: '/scim/v2/Users?filter=userName eq "…" or externalId eq …&count=5',
          }),
        }),
      );
      expect(entries).toContainEqual(
        expect.objectContaining({
          reqId: 'req-log-4',
          scimType: 'uniqueness',
          detail: expect.stringMatching(/^userName '…' is already taken/),
        }),
      );
      expect(entries.filter((e) => e.msg === 'request completed')).toHaveLength(4);
      const all = lines.join('\n');
      expect(all).not.toContain(token);
      expect(all).not.toContain('Sup3r-Secret-Pw');
      expect(all.toLowerCase()).not.toContain('logged@example.com');
      expect(all).not.toContain('jyoung');
    } finally {
      await app.close();
    }
  });
});
