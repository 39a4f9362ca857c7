import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Pool } from 'pg';
import { AuditRepository } from '../src/audit/audit.repository';
import { AuditService } from '../src/audit/audit.service';
import type { AppConfig } from '../src/config/env';
import type { RequestInfo } from '../src/http/request-info';
import { measure, Measurement } from './load';
import { userBody } from './seed';
import { ADMIN_KEY, BenchServer } from './servers';

/**
 * The keys section (issue "Deprovisioning that cuts access at once"):
 * - how fast the application checks a user API key: RFC 7662 introspection (POST /introspect, a form, with the
 *   admin key) and forward auth (GET /auth/verify with the key as bearer), with 1 and 8 keep-alive clients, against
 *   the goal p50 ≤ 2 ms. The key's user is in two teams, so each answer carries a role and teams.
 * - what the audit log costs a write: the same user PATCH on this server and on the same build started with
 *   AUDIT_LOG=false, in alternating order, BENCH_ROUNDS rounds; medians of the rounds. On a busy machine that
 *   difference is within the noise, so the cost of one record is also measured directly: AuditService's request
 *   observer (what runs when an answer is complete) and its batched INSERTs, in this process, on the same database.
 */

export const KEY_CHECK_P50_GOAL_MS = 2;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export interface KeyCheckFigures {
  check: 'introspect' | 'verify';
  clients: number;
  m: Measurement;
}

export interface AuditFigures {
  server: string;
  rps: number;
  p50: number;
  p99: number;
  serverCpuMs: number;
  errors: number;
}

export interface RecordCost {
  records: number;
  /** Microseconds per record in the request observer (synchronous, after the answer went out). */
  observeUs: number;
  /** Microseconds per record of writing them in batches (Node and PostgreSQL, off the request path). */
  writeUs: number;
}

export interface KeysResult {
  checks: KeyCheckFigures[];
  audit: AuditFigures[];
  recordCost: RecordCost;
}

const RECORDS = 50_000;

/** The audit trail's own cost per record, measured in-process on the bench database (its records are deleted after). */
async function recordCost(pool: Pool): Promise<RecordCost> {
  const repo = new AuditRepository({
    manager: { query: async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows },
  } as never);
  const audit = new AuditService(repo, { auditLog: true, auditRetentionDays: 365 } as AppConfig, { retention: false });
  const req = { method: 'PATCH' } as IncomingMessage;
  const infos: RequestInfo[] = Array.from({ length: RECORDS }, (_, i) => {
    const id = randomUUID();
    return {
      id: `bench-${i}`,
      path: `/scim/v2/Users/${id}`,
      scim: true,
      baseUrl: 'http://127.0.0.1/scim/v2',
      userAgent: 'Microsoft.Azure.ActiveDirectory',
      principal: { kind: 'scim-token', id: randomUUID(), name: 'Entra ID production' },
      change: { resourceType: 'User', resourceId: id, summary: { op: 'patch', attributes: ['active'], keysSuspended: 2 } },
    };
  });
  const t0 = process.hrtime.bigint();
  for (const info of infos) {
    audit.requestDone(req, 200, info);
  }
  const t1 = process.hrtime.bigint();
  await audit.flush();
  const t2 = process.hrtime.bigint();
  await pool.query(`DELETE FROM audit_log WHERE request_id LIKE 'bench-%'`);
  return { records: RECORDS, observeUs: Number(t1 - t0) / 1000 / RECORDS, writeUs: Number(t2 - t1) / 1000 / RECORDS };
}

interface Context {
  pool: Pool;
  rounds: number;
  timing: { seconds: number; warmupSeconds: number; signal?: AbortSignal };
  postmasterPid?: number;
}

async function json(server: BenchServer, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await server.http.send(
    method,
    path,
    { ...headers, 'content-type': 'application/json' },
    body === undefined ? undefined : JSON.stringify(body),
  );
  if (res.status >= 300) {
    throw new Error(`${method} ${path} answered ${res.status}: ${res.body.slice(0, 200)}`);
  }
  return JSON.parse(res.body || '{}') as Record<string, unknown>;
}

/** A user in two teams with a live key, made through the APIs as an IdP and an admin would. */
async function liveKey(server: BenchServer): Promise<string> {
  const user = await json(server, 'POST', '/scim/v2/Users', server.scim, {
    ...userBody(0, `keys-${randomUUID()}`),
    roles: [{ value: 'member' }],
  });
  for (const name of ['Research', 'Gateway users']) {
    await json(server, 'POST', '/scim/v2/Groups', server.scim, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: `${name} ${randomUUID().slice(0, 8)}`,
      members: [{ value: user.id }],
    });
  }
  const issued = await json(
    server,
    'POST',
    `/admin/users/${String(user.id)}/api-keys`,
    { authorization: `Bearer ${ADMIN_KEY}` },
    { name: 'bench' },
  );
  return issued.key as string;
}

export async function benchKeys(server: BenchServer, noAudit: BenchServer, ctx: Context, log: (m: string) => void): Promise<KeysResult> {
  const key = await liveKey(server);
  const form = `token=${encodeURIComponent(key)}`;
  const introspectHeaders = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/x-www-form-urlencoded' };
  const ops = {
    introspect: async () => {
      const res = await server.http.send('POST', '/introspect', introspectHeaders, form);
      return res.status === 200 && res.body.startsWith('{"active":true') ? undefined : `${res.status} ${res.body.slice(0, 80)}`;
    },
    verify: async () => {
      const res = await server.http.send('GET', '/auth/verify', { authorization: `Bearer ${key}` });
      return res.status === 200 ? undefined : `${res.status} ${res.body.slice(0, 80)}`;
    },
  };
  const checks: KeyCheckFigures[] = [];
  for (const clients of [1, 8]) {
    for (const check of ['introspect', 'verify'] as const) {
      const m = await measure(
        ops[check],
        { ...ctx.timing, concurrency: clients },
        { server: server.child.pid, postmaster: ctx.postmasterPid },
      );
      checks.push({ check, clients, m });
      log(
        `  ${check.padEnd(10)} ${clients} client(s) ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms${m.errors ? `  ERRORS ${m.errors}` : ''}`,
      );
      if (ctx.timing.signal?.aborted) {
        throw new Error('interrupted');
      }
    }
  }

  const ids = (await ctx.pool.query<{ id: string }>('SELECT id FROM users ORDER BY created LIMIT 10000')).rows.map((r) => r.id);
  const patch = (s: BenchServer) => async () => {
    const id = ids[Math.floor(Math.random() * ids.length)] as string;
    const body = {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: `Renamed ${randomUUID().slice(0, 8)}` }],
    };
    const res = await s.http.send(
      'PATCH',
      `/scim/v2/Users/${id}`,
      { ...s.scim, 'content-type': 'application/scim+json' },
      JSON.stringify(body),
    );
    return res.status === 200 ? undefined : `${res.status} ${res.body.slice(0, 80)}`;
  };
  const runs = new Map<string, Measurement[]>();
  for (let round = 1; round <= ctx.rounds; round++) {
    for (const s of round % 2 === 1 ? [server, noAudit] : [noAudit, server]) {
      const m = await measure(patch(s), { ...ctx.timing, concurrency: 8 }, { server: s.child.pid, postmaster: ctx.postmasterPid });
      runs.set(s.label, [...(runs.get(s.label) ?? []), m]);
      log(
        `  round ${round} PATCH ${s.label.padEnd(8)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms`,
      );
      if (ctx.timing.signal?.aborted) {
        throw new Error('interrupted');
      }
    }
  }
  const audit = [server, noAudit].map((s): AuditFigures => {
    const ms = runs.get(s.label) ?? [];
    return {
      server: s.label,
      rps: median(ms.map((m) => m.rps)),
      p50: median(ms.map((m) => m.p50)),
      p99: median(ms.map((m) => m.p99)),
      serverCpuMs: median(ms.map((m) => m.cpu?.serverMsPerOp ?? NaN)),
      errors: ms.reduce((n, m) => n + m.errors, 0),
    };
  });
  const cost = await recordCost(ctx.pool);
  log(
    `  audit record: ${cost.observeUs.toFixed(2)} µs in the request observer, ${cost.writeUs.toFixed(2)} µs to write (batched), per record`,
  );
  return { checks, audit, recordCost: cost };
}

/** The section's tables in Markdown. */
export function keysReport({ checks, audit, recordCost: record }: KeysResult): string {
  const rows = checks.map(
    ({ check, clients, m }) =>
      `| ${check === 'introspect' ? 'POST /introspect' : 'GET /auth/verify'} | ${clients} | ${m.rps.toFixed(0)} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${(m.cpu?.serverMsPerOp ?? NaN).toFixed(3)} | p50 ≤ ${KEY_CHECK_P50_GOAL_MS} ms | ${m.p50 <= KEY_CHECK_P50_GOAL_MS ? 'yes' : 'no'} |${m.errors ? ` ${m.errors} errors` : ''}`,
  );
  const [on, off] = audit;
  const cost =
    on && off
      ? `; audit cost: ${(on.serverCpuMs - off.serverCpuMs).toFixed(3)} ms server CPU per write, req/s ratio ${(on.rps / off.rps).toFixed(3)}`
      : '';
  return [
    '| check | clients | req/s | p50 ms | p99 ms | server CPU ms/req | goal | met |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...rows,
    '',
    `User PATCH with the audit log on and off (8 clients, medians of rounds${cost}):`,
    '',
    '| server | req/s | p50 ms | p99 ms | server CPU ms/req | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...audit.map(
      (a) =>
        `| ${a.server} | ${a.rps.toFixed(0)} | ${a.p50.toFixed(2)} | ${a.p99.toFixed(2)} | ${a.serverCpuMs.toFixed(3)} | ${a.errors} |`,
    ),
  ].join('\n');
}
