import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { openApiDocument } from '../../src/app.setup';
import { USER_ID_PLACEHOLDER } from '../../src/groups/dto/group-examples';
import { URN } from '../../src/scim';
import { ADMIN_KEY, createTestApp, TestApp } from '../support/app';

/*
 * The OpenAPI document as a user of Swagger UI meets it: every documented request example, executed as it stands on a
 * fresh server, gets a status the operation documents. Read from the generated document, so a new example or
 * operation is covered without touching this file.
 */

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
  schema?: Json;
}
interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Json; examples?: Record<string, { summary?: string; value: unknown }> }> };
  responses: Record<
    string,
    {
      headers?: Record<string, unknown>;
      content?: Record<string, { schema?: Json }>;
      links?: Record<string, { operationId: string; parameters?: Record<string, unknown> }>;
    }
  >;
  security?: Record<string, string[]>[];
}
interface Endpoint {
  path: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  op: Operation;
}
interface Call {
  endpoint: Endpoint;
  label: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: { type: string; value: unknown };
}

const SCIM_JSON = 'application/scim+json';
const FORM = 'application/x-www-form-urlencoded';
const ERROR_REF = '#/components/schemas/ScimErrorDto';

/** The value Swagger UI puts in a parameter's field: its example, else its schema's. */
const prefilled = (p: Parameter) => p.example ?? p.schema?.example;

/**
 * Creates first (in a collection, then under what was created, such as a user's API keys), then reads and searches,
 * then changes, then deletes: the order in which someone tries an API out. A create is a POST documented with 201.
 */
const phase = ({ path, method, op }: Endpoint) =>
  method === 'post' && op.responses['201']
    ? path.includes('{')
      ? 1
      : 0
    : method === 'get' || method === 'post'
      ? 2
      : method === 'delete'
        ? 4
        : 3;

/** What the answers of a run leave for the calls after them, as a person trying the API out carries it over. */
interface Seen {
  /** The id the first create of each collection returned, by the collection's path. */
  ids: Record<string, string>;
  /** Parameter values the documented links of answers point to, by `<operationId> <parameter>`. */
  linked: Record<string, string>;
  /** The first API key an answer issued (its "key"): what a person authorizes the apiKey scheme with. */
  apiKey?: string;
}
const nothingSeen = (): Seen => ({ ids: {}, linked: {} });

/** The value a link's `$response.body#/<pointer>` expression names in an answer's body. */
function fromBody(body: unknown, expression: unknown): unknown {
  const prefix = '$response.body#/';
  if (typeof expression !== 'string' || !expression.startsWith(prefix)) {
    return undefined;
  }
  return expression
    .slice(prefix.length)
    .split('/')
    .reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Json)[key] : undefined), body);
}

function endpointsOf(doc: OpenAPIObject): Endpoint[] {
  const all = Object.entries(doc.paths).flatMap(([path, item]) =>
    (['get', 'post', 'put', 'patch', 'delete'] as const)
      .filter((m) => (item as Json)[m] !== undefined)
      .map((method) => ({ path, method, op: (item as Record<string, Operation>)[method] as Operation })),
  );
  return all.sort((a, b) => phase(a) - phase(b));
}

/** The statuses an example may get: the documented successes, or for an operation without any, its documented errors. */
function expectedStatuses(op: Operation): number[] {
  const codes = Object.keys(op.responses).map(Number);
  const ok = codes.filter((c) => c < 300);
  return ok.length > 0 ? ok : codes.filter((c) => ![401, 429, 503].includes(c));
}

/** What Swagger UI's sample generator makes of a schema when there is no example: readOnly properties left out. */
function sampleOf(doc: OpenAPIObject, schema: Json | undefined): unknown {
  if (!schema) {
    return undefined;
  }
  if (typeof schema.$ref === 'string') {
    return sampleOf(doc, (doc.components?.schemas as Record<string, Json>)[schema.$ref.split('/').pop() as string]);
  }
  if (schema.example !== undefined) {
    return schema.example;
  }
  if (Array.isArray(schema.enum)) {
    return schema.enum[0];
  }
  if (schema.type === 'array') {
    return [sampleOf(doc, schema.items as Json)];
  }
  if (schema.type === 'object' || schema.properties) {
    const props = Object.entries((schema.properties ?? {}) as Record<string, Json>).filter(([, p]) => p.readOnly !== true);
    return Object.fromEntries(props.map(([k, p]) => [k, sampleOf(doc, p)]));
  }
  const formats: Record<string, unknown> = { uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6', 'date-time': '2026-11-30T09:00:00.000Z' };
  return schema.type === 'boolean'
    ? true
    : schema.type === 'integer' || schema.type === 'number'
      ? 0
      : (formats[String(schema.format)] ?? 'string');
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let endpoints: Endpoint[];
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    doc = JSON.parse(JSON.stringify(openApiDocument(t.app))) as OpenAPIObject;
    endpoints = endpointsOf(doc);
  });
  afterAll(() => t.close());

  /** A fresh server: empty tables and one SCIM token, as after `npm start` and `token create`. */
  async function fresh(): Promise<void> {
    await t.reset();
    token = await t.token();
  }

  /**
   * Sends a call as Swagger UI would (path parameters filled in, the credential of the operation's scheme, the chosen
   * media type) and returns the answer. A path parameter without an example takes what a documented link of an earlier
   * answer points to, else the id of the resource created in the collection it names.
   */
  async function send(call: Call, seen: Seen) {
    const { endpoint } = call;
    const where = `${endpoint.method.toUpperCase()} ${endpoint.path}`;
    const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const p = endpoint.op.parameters?.find((x) => x.in === 'path' && x.name === name);
      const value =
        (p && prefilled(p)) ??
        seen.linked[`${endpoint.op.operationId} ${name}`] ??
        seen.ids[endpoint.path.slice(0, endpoint.path.indexOf('/{'))];
      if (value === undefined) {
        throw new Error(`${where}: no example for {${name}}, no link to it and no resource created before it`);
      }
      return encodeURIComponent(String(value));
    });
    let req = request(t.http)[endpoint.method](path).query(call.query).set(call.headers);
    const scheme = Object.keys(endpoint.op.security?.[0] ?? {})[0];
    if (scheme) {
      // What the scheme descriptions tell a person to authorize with; the admin key also opens introspection.
      const credentials: Record<string, string | undefined> = {
        scim: token,
        admin: ADMIN_KEY,
        introspection: ADMIN_KEY,
        apiKey: seen.apiKey,
      };
      const credential = credentials[scheme];
      if (credential === undefined) {
        throw new Error(`${where}: no credential for the ${scheme} scheme (an API key comes from an earlier answer that issued one)`);
      }
      req = req.set('Authorization', `Bearer ${credential}`);
    }
    if (call.body) {
      const { type, value } = call.body;
      req = req
        .set('Content-Type', type)
        .send(type === FORM ? new URLSearchParams(value as Record<string, string>).toString() : JSON.stringify(value));
    }
    return req;
  }

  /** Every example of an operation (each named body example, each named parameter example), with this media type. */
  function callsOf(endpoint: Endpoint, mediaType: string): Call[] {
    const params = endpoint.op.parameters ?? [];
    const base: Call = { endpoint, label: 'no parameters', query: {}, headers: {} };
    for (const p of params.filter((x) => prefilled(x) !== undefined && x.in !== 'path')) {
      (p.in === 'query' ? base.query : base.headers)[p.name] = String(prefilled(p));
    }
    const paramCalls = params.flatMap((p) =>
      Object.entries(p.examples ?? {}).map(([name, ex]) => ({
        ...base,
        label: `${p.name} example "${name}"`,
        [p.in === 'query' ? 'query' : 'headers']: { ...(p.in === 'query' ? base.query : base.headers), [p.name]: String(ex.value) },
      })),
    );
    const content = endpoint.op.requestBody?.content;
    if (!content) {
      return paramCalls.length > 0 ? paramCalls : [base];
    }
    const media = content[mediaType] ?? Object.values(content)[0];
    const type = content[mediaType] ? mediaType : (Object.keys(content)[0] as string);
    return Object.entries(media?.examples ?? {}).map(([name, ex]) => ({
      ...base,
      label: `body example "${name}" as ${type}`,
      body: { type, value: ex.value },
    }));
  }

  /** Runs the calls in order, recording in `seen` what their answers leave for later calls; returns the failures. */
  async function runAll(calls: Call[], seen: Seen): Promise<string[]> {
    const failures: string[] = [];
    for (const call of calls) {
      const { path, method, op } = call.endpoint;
      const res = await send(call, seen);
      const what = `${method.toUpperCase()} ${path} with ${call.label}`;
      const expected = expectedStatuses(op);
      if (!expected.includes(res.status)) {
        failures.push(`${what}: ${res.status} (documented: ${expected.join(', ')}) ${JSON.stringify(res.body)}`);
        continue;
      }
      for (const header of Object.keys(op.responses[String(res.status)]?.headers ?? {})) {
        if (!['Retry-After', 'WWW-Authenticate'].includes(header) && res.headers[header.toLowerCase()] === undefined) {
          failures.push(`${what}: the documented ${header} header is missing`);
        }
      }
      const body = res.body as { id?: unknown; key?: unknown; schemas?: unknown; Operations?: { status?: string }[] };
      // A BulkResponse is 200 whatever its operations did: each of them must have succeeded too.
      if (Array.isArray(body.schemas) && body.schemas.includes(URN.BulkResponse)) {
        const failed = (body.Operations ?? []).filter((o) => Number(o.status) >= 400);
        if (failed.length > 0) {
          failures.push(`${what}: operations failed ${JSON.stringify(failed)}`);
        }
      }
      if (phase(call.endpoint) === 0 && typeof body.id === 'string') {
        seen.ids[path] ??= body.id;
      }
      for (const link of Object.values(op.responses[String(res.status)]?.links ?? {})) {
        for (const [name, expression] of Object.entries(link.parameters ?? {})) {
          const value = fromBody(body, expression);
          if (typeof value === 'string') {
            seen.linked[`${link.operationId} ${name}`] ??= value;
          }
        }
      }
      if (phase(call.endpoint) <= 1 && typeof body.key === 'string') {
        seen.apiKey ??= body.key;
      }
    }
    return failures;
  }

  it('gives every operation an id, a summary and a description', () => {
    expect(endpoints.length).toBeGreaterThan(20);
    const missing = endpoints.filter(({ op }) => !op.summary?.trim() || !op.description?.trim()).map((e) => `${e.method} ${e.path}`);
    expect(missing).toEqual([]);
    const ids = endpoints.map((e) => e.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    // Chosen, not generated from a class name (Nest's <Controller>_<method>), so that clients generated from it keep their names.
    expect(ids.filter((id) => !/^[a-z][A-Za-z]+$/.test(id))).toEqual([]);
  });

  it('describes the bearer schemes as opaque tokens, not JWTs', () => {
    const schemes = doc.components?.securitySchemes as Record<string, { scheme: string; bearerFormat?: string; description?: string }>;
    expect(Object.keys(schemes).sort()).toEqual(['admin', 'apiKey', 'introspection', 'scim']);
    for (const s of Object.values(schemes)) {
      expect(s.scheme).toBe('bearer');
      expect(s.bearerFormat).toMatch(/opaque/);
      expect(s.bearerFormat).not.toMatch(/jwt/i);
      expect(s.description).toMatch(/not a JWT/);
    }
  });

  it('takes application/scim+json and application/json with the same examples on SCIM routes, and answers application/scim+json', () => {
    for (const { path, method, op } of endpoints.filter((e) => e.path.startsWith('/scim/v2'))) {
      const content = op.requestBody?.content;
      if (content) {
        expect([`${method} ${path}`, Object.keys(content)]).toEqual([`${method} ${path}`, [SCIM_JSON, 'application/json']]);
        expect(content['application/json']?.examples).toEqual(content[SCIM_JSON]?.examples);
        expect(Object.keys(content[SCIM_JSON]?.examples ?? {}).length).toBeGreaterThan(0);
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (response.content) {
          expect([`${method} ${path} ${status}`, Object.keys(response.content)]).toEqual([`${method} ${path} ${status}`, [SCIM_JSON]]);
        }
      }
    }
  });

  it('documents every error of a SCIM or admin route with the SCIM error schema, and the headers of resources', () => {
    for (const { path, method, op } of endpoints.filter((e) => /^\/(scim\/v2|admin)\//.test(e.path))) {
      const where = `${method.toUpperCase()} ${path}`;
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      for (const [status, response] of errors) {
        const schemas = Object.values(response.content ?? {}).map((c) => c.schema?.$ref);
        expect([where, status, schemas]).toEqual([where, status, [ERROR_REF]]);
      }
      const statuses = errors.map(([s]) => Number(s));
      expect([where, statuses]).toEqual([where, expect.arrayContaining([401, 429, 503])]);
      if (op.requestBody) {
        expect([where, statuses]).toEqual([where, expect.arrayContaining([400, 413, 415])]);
      }
      if (/^\/scim\/v2\/(Users|Groups)\/\{id\}$/.test(path)) {
        expect([where, statuses]).toEqual([where, expect.arrayContaining([404])]);
        const names = (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
        expect([where, names]).toEqual([where, [method === 'get' ? 'If-None-Match' : 'If-Match']]);
        if (method !== 'get') {
          expect([where, statuses]).toEqual([where, expect.arrayContaining([412])]);
        }
      }
      if (op.responses['201'] && path.startsWith('/scim/v2')) {
        expect([where, Object.keys(op.responses['201'].headers ?? {})]).toEqual([where, ['ETag', 'Location']]);
      }
    }
  });

  it.each([SCIM_JSON, 'application/json'])(
    'executes every request example as %s on a fresh server, each getting a documented status',
    async (mediaType) => {
      await fresh();
      const calls = endpoints.flatMap((e) => callsOf(e, mediaType));
      expect(calls.length).toBeGreaterThan(40);
      expect(await runAll(calls, nothingSeen())).toEqual([]);
    },
  );

  it('prefills no query parameter that filters, projects, sorts or pages, and none of a list', () => {
    const shaping = new Set(['filter', 'attributes', 'excludedAttributes', 'sortBy', 'sortOrder', 'cursor', 'startIndex', 'count']);
    const prefilledQuery = endpoints.flatMap(({ path, method, op }) =>
      (op.parameters ?? [])
        .filter((p) => p.in === 'query' && (shaping.has(p.name) || (method === 'get' && !path.includes('{'))))
        .filter((p) => prefilled(p) !== undefined || p.examples !== undefined)
        .map((p) => `${method} ${path} ?${p.name}`),
    );
    expect(prefilledQuery).toEqual([]);
  });

  it('builds no example from a prefilled filter: GET /Users and GET /Groups list what exists', async () => {
    await fresh();
    const seen = nothingSeen();
    const creates = endpoints.filter((e) => phase(e) === 0 && e.path.startsWith('/scim/v2'));
    expect(
      await runAll(
        creates.flatMap((e) => callsOf(e, SCIM_JSON).slice(0, 1)),
        seen,
      ),
    ).toEqual([]);
    for (const path of ['/scim/v2/Users', '/scim/v2/Groups']) {
      const [call] = callsOf(endpoints.find((e) => e.path === path && e.method === 'get') as Endpoint, SCIM_JSON);
      const res = await send(call as Call, seen);
      expect([path, res.body.totalResults]).toEqual([path, 1]);
    }
  });

  it(`adds and removes a real member with the member examples once ${USER_ID_PLACEHOLDER} is replaced by a user's id`, async () => {
    await fresh();
    const seen = nothingSeen();
    const creates = endpoints.filter((e) => phase(e) === 0 && e.path.startsWith('/scim/v2'));
    expect(
      await runAll(
        creates.flatMap((e) => callsOf(e, SCIM_JSON).slice(0, 1)),
        seen,
      ),
    ).toEqual([]);
    const userId = seen.ids['/scim/v2/Users'] as string;
    const patchGroup = endpoints.find((e) => e.path === '/scim/v2/Groups/{id}' && e.method === 'patch') as Endpoint;
    const members = async () => {
      const res = await send({ endpoint: { ...patchGroup, method: 'get' }, label: 'read', query: {}, headers: {} }, seen);
      return ((res.body as { members?: { value: string }[] }).members ?? []).map((m) => m.value);
    };
    const examples = callsOf(patchGroup, SCIM_JSON).filter((c) => JSON.stringify(c.body?.value).includes(USER_ID_PLACEHOLDER));
    expect(examples.map((c) => c.label)).toHaveLength(4);
    for (const call of examples) {
      const value = JSON.parse(JSON.stringify(call.body?.value).replaceAll(USER_ID_PLACEHOLDER, userId)) as unknown;
      const res = await send({ ...call, body: { type: SCIM_JSON, value } }, seen);
      expect([call.label, res.status]).toEqual([call.label, 204]);
      const adds = /add/i.test(call.label);
      expect([call.label, await members()]).toEqual([call.label, adds ? [userId] : []]);
    }
  });

  it('accepts the default body Swagger UI builds from each request schema', async () => {
    await fresh();
    const calls = endpoints
      .filter((e) => e.op.requestBody)
      .map((endpoint) => {
        const [type, media] = Object.entries(endpoint.op.requestBody?.content ?? {})[0] as [string, { schema: Json }];
        return {
          endpoint,
          label: `the ${type} sample of its schema`,
          query: {},
          headers: {},
          body: { type, value: sampleOf(doc, media.schema) },
        };
      });
    expect(await runAll(calls, nothingSeen())).toEqual([]);
  });
});
