import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { sqlState } from '../database/pg-errors';
import { scimTypeOf } from '../http/logging';
import type { ChangeNote, RequestInfo } from '../http/request-info';
import type { RequestDone } from '../http/request-log';
import { ScimError } from '../scim';
import { Actor } from './audit-context';
import { AuditRecordEntity, NewAuditRecord } from './audit-record.entity';
import { AuditFilter, AuditRepository } from './audit.repository';

/** Records per INSERT, and the number of waiting records that starts one at once. */
const BATCH = 500;
/** A record waits at most this long before it is written (when fewer than BATCH are waiting). */
const FLUSH_MS = 200;
/** After a failed write, the next attempt. */
const RETRY_MS = 2000;
/** Records kept in memory while the database cannot take them; past this, new ones are dropped (and counted in the log). */
const MAX_PENDING = 50_000;
const RETENTION_EVERY_MS = 3_600_000;
const RETENTION_FIRST_MS = 60_000;
const PURGE_BATCH = 10_000;
const MAX_TEXT = 1024;
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** SCIM and admin routes are audited; `POST …/.search` is a read. */
const AUDITED = /^\/(scim\/v2|admin)\//i;
const SEARCH = /\/\.search\/?$/i;

/** For a request that failed before a service noted its change: the resource its path names. */
const RESOURCE_PATHS: readonly [RegExp, (m: RegExpExecArray) => ChangeNote][] = [
  [/^\/scim\/v2\/users(?:\/([^/]+))?\/?$/i, (m) => ({ resourceType: 'User', resourceId: m[1] })],
  [/^\/scim\/v2\/groups(?:\/([^/]+))?\/?$/i, (m) => ({ resourceType: 'Group', resourceId: m[1] })],
  [/^\/scim\/v2\/bulk\/?$/i, () => ({ resourceType: 'Bulk' })],
  [/^\/admin\/scim-tokens(?:\/([^/]+))?\/?$/i, (m) => ({ resourceType: 'ScimToken', resourceId: m[1] })],
  [/^\/admin\/users\/([^/]+)\/api-keys\/?$/i, (m) => ({ resourceType: 'ApiKey', summary: { userId: m[1] } })],
  [/^\/admin\/api-keys\/([^/]+)\/?$/i, (m) => ({ resourceType: 'ApiKey', resourceId: m[1] })],
];

const resourceOf = (path: string): ChangeNote | undefined => {
  for (const [pattern, note] of RESOURCE_PATHS) {
    const m = pattern.exec(path);
    if (m) {
      return note(m);
    }
  }
  return undefined;
};

const clip = (s: string | undefined | null): string | null => (s === undefined || s === null ? null : s.slice(0, MAX_TEXT));

const actorColumns = (a: Actor): Pick<NewAuditRecord, 'actorType' | 'actorId' | 'actorName'> => {
  switch (a.kind) {
    case 'scim-token':
      return { actorType: a.kind, actorId: a.id, actorName: a.name };
    case 'cli':
      return { actorType: a.kind, actorId: null, actorName: a.name };
    case 'api-key':
      return { actorType: a.kind, actorId: a.id, actorName: null };
    case 'admin':
    case 'introspection':
      return { actorType: a.kind, actorId: null, actorName: null };
  }
};

export interface AuditQuery {
  resourceId?: string;
  actor?: string;
  outcome?: string;
  since?: string;
  until?: string;
  cursor?: string;
  count?: number;
}

export interface AuditRecordView {
  id: string;
  time: Date;
  actor: { type: string; id?: string; name?: string };
  userAgent: string | null;
  requestId: string | null;
  method: string;
  path: string;
  resourceType: string | null;
  resourceId: string | null;
  status: number;
  scimType: string | null;
  summary: Record<string, unknown> | null;
}

export interface AuditPage {
  records: AuditRecordView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Whether the module runs the periodic retention delete (the server does; the CLI does not). */
export const AUDIT_OPTIONS = Symbol('AuditOptions');
export interface AuditOptions {
  retention: boolean;
}

const view = (r: AuditRecordEntity): AuditRecordView => ({
  id: r.id,
  time: r.at,
  actor: { type: r.actorType, ...(r.actorId !== null && { id: r.actorId }), ...(r.actorName !== null && { name: r.actorName }) },
  userAgent: r.userAgent,
  requestId: r.requestId,
  method: r.method,
  path: r.path,
  resourceType: r.resourceType,
  resourceId: r.resourceId,
  status: r.status,
  scimType: r.scimType,
  summary: r.summary,
});

const encodeCursor = (r: AuditRecordEntity) => Buffer.from(JSON.stringify([r.at.toISOString(), r.id])).toString('base64url');

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const time = new Date(String(at));
    if (typeof at === 'string' && typeof id === 'string' && /^\d{1,19}$/.test(id) && !Number.isNaN(time.getTime())) {
      return { at: time, id };
    }
  } catch {
    // falls through to the error
  }
  throw ScimError.invalidValue('cursor: not a cursor this server issued; pass nextCursor from the previous page as it is');
}

function parseTime(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) {
    return undefined;
  }
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) {
    throw ScimError.invalidValue(`${name}: '${value}' is not a date-time; use ISO 8601 such as 2026-11-30T09:00:00Z`);
  }
  return t;
}

function parseOutcome(value: string | undefined): AuditFilter['outcome'] {
  if (value === undefined || value === 'success' || value === 'failure') {
    return value;
  }
  if (/^[1-5]\d\d$/.test(value)) {
    return Number(value);
  }
  throw ScimError.invalidValue(`outcome: '${value}' is not success, failure or an HTTP status such as 409`);
}

/**
 * The audit trail. Records are buffered in memory and written in batches after the answers went out, so recording
 * never slows a request or fails one: a write that fails is logged and retried, and past MAX_PENDING records are
 * dropped (counted in the log) rather than held without bound. Retention deletes records older than
 * AUDIT_RETENTION_DAYS, hourly, in short batches.
 */
@Injectable()
export class AuditService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private pending: NewAuditRecord[] = [];
  private timer?: NodeJS.Timeout;
  private retention?: NodeJS.Timeout;
  /** The write in progress (never rejects), and one queued behind it that has not started yet. */
  private writing: Promise<void> = Promise.resolve();
  private queued?: Promise<void>;
  private failing = false;
  private dropped = 0;

  constructor(
    private readonly records: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditOptions,
  ) {}

  /** The platform's request observer: one record per audited request (writes by an authenticated caller). */
  readonly requestDone: RequestDone = (req: IncomingMessage, status: number, info: RequestInfo) => {
    const method = req.method ?? '';
    if (this.config.auditLog && info.principal && WRITES.has(method) && AUDITED.test(info.path) && !SEARCH.test(info.path)) {
      this.recordOperation(info, { method, path: info.path, status, scimType: scimTypeOf(req) });
    }
  };

  /**
   * One record for one operation of `info`'s request: the request itself, or (Bulk) each of its operations, run with
   * `runInRequest(operationScope(), …)` so that each notes its own change.
   */
  recordOperation(info: RequestInfo, op: { method: string; path: string; status: number; scimType?: string }): void {
    if (!this.config.auditLog || !info.principal) {
      return;
    }
    const change = info.change ?? resourceOf(op.path);
    this.enqueue({
      at: new Date(),
      ...actorColumns(info.principal),
      userAgent: clip(info.userAgent),
      requestId: info.id,
      method: op.method,
      path: clip(op.path) ?? '',
      resourceType: change?.resourceType ?? null,
      resourceId: clip(change?.resourceId),
      status: op.status,
      scimType: op.status >= 400 ? (op.scimType ?? null) : null,
      summary: change?.summary ? { ...change.summary } : null,
    });
  }

  /** A CLI action, written before the CLI exits. */
  async recordCli(actor: Actor, command: string, change: ChangeNote, status = 200): Promise<void> {
    if (!this.config.auditLog) {
      return;
    }
    this.enqueue({
      at: new Date(),
      ...actorColumns(actor),
      userAgent: 'cli',
      requestId: null,
      method: 'CLI',
      path: command,
      resourceType: change.resourceType,
      resourceId: change.resourceId ?? null,
      status,
      scimType: null,
      summary: change.summary ? { ...change.summary } : null,
    });
    await this.flush();
  }

  /** Records matching the query, newest first. Records this instance still holds are written first, so a reader sees its own writes. */
  async list(q: AuditQuery): Promise<AuditPage> {
    await this.flush();
    const limit = Math.min(Math.max(q.count ?? DEFAULT_PAGE, 1), MAX_PAGE);
    const rows = await this.records.search(
      {
        resourceId: q.resourceId,
        actor: q.actor,
        outcome: parseOutcome(q.outcome),
        since: parseTime('since', q.since),
        until: parseTime('until', q.until),
        before: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
      },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { records: page.map(view), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /** Writes every waiting record (in order, one batch at a time); resolves when they are written or failed. Never rejects. */
  flush(): Promise<void> {
    this.queued ??= this.writing.then(() => {
      this.queued = undefined;
      return this.writeAll();
    });
    this.writing = this.queued;
    return this.queued;
  }

  /** Deletes records older than AUDIT_RETENTION_DAYS; returns how many. */
  async purge(): Promise<number> {
    let total = 0;
    for (let n = PURGE_BATCH; n === PURGE_BATCH; total += n) {
      n = await this.records.removeOlderThan(this.config.auditRetentionDays, PURGE_BATCH);
    }
    if (total > 0) {
      this.logger.log({ deleted: total, retentionDays: this.config.auditRetentionDays }, 'audit records past retention deleted');
    }
    return total;
  }

  onApplicationBootstrap(): void {
    if (this.options.retention) {
      const run = () =>
        void this.purge().catch((e: unknown) =>
          this.logger.warn(
            { err: { message: (e as Error | null)?.message, code: sqlState(e) } },
            'audit retention failed; it runs again in an hour',
          ),
        );
      this.retention = setTimeout(() => {
        run();
        this.retention = setInterval(run, RETENTION_EVERY_MS).unref();
      }, RETENTION_FIRST_MS).unref();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.retention);
    clearInterval(this.retention);
    await this.flush();
  }

  /** Records of requests that finished while the HTTP server drained. */
  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    if (this.pending.length > 0) {
      await this.flush();
    }
  }

  private enqueue(record: NewAuditRecord): void {
    if (this.pending.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    this.pending.push(record);
    if (this.pending.length >= BATCH) {
      void this.flush();
    } else {
      this.schedule(FLUSH_MS);
    }
  }

  private schedule(ms: number): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms).unref();
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, BATCH);
      try {
        await this.records.insertMany(batch);
        if (this.failing || this.dropped > 0) {
          this.logger.warn({ dropped: this.dropped }, 'audit records are written again');
          this.failing = false;
          this.dropped = 0;
        }
      } catch (e) {
        // Kept for the next attempt while there is room: the oldest first, as they came.
        const room = Math.max(0, MAX_PENDING - this.pending.length);
        this.dropped += Math.max(0, batch.length - room);
        this.pending.unshift(...batch.slice(0, room));
        if (!this.failing) {
          // Message and SQLSTATE only: a failed query carries its parameters, and those are the records.
          const { message, code } = (e ?? {}) as { message?: unknown; code?: unknown };
          this.logger.error(
            { err: { message, code: sqlState(e) ?? code }, waiting: this.pending.length },
            'audit records could not be written; retrying',
          );
          this.failing = true;
        }
        this.schedule(RETRY_MS);
        return;
      }
    }
  }
}
