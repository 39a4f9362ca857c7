import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditRecordEntity, NewAuditRecord } from './audit-record.entity';

const COLUMNS = `id::text AS id, at, actor_type AS "actorType", actor_id AS "actorId", actor_name AS "actorName", user_agent AS "userAgent",
  request_id AS "requestId", method, path, resource_type AS "resourceType", resource_id AS "resourceId", status, scim_type AS "scimType", summary`;

/** The record's columns as jsonb_to_recordset reads them: a batch is one parameter, whatever its size. */
const RECORDSET = `r(at timestamptz, actor_type text, actor_id text, actor_name text, user_agent text, request_id text, method text, path text,
  resource_type text, resource_id text, status integer, scim_type text, summary jsonb)`;

export interface AuditFilter {
  resourceId?: string;
  /** `admin`, `cli`, a SCIM token's id or name, or a CLI user's name. */
  actor?: string;
  outcome?: 'success' | 'failure' | number;
  since?: Date;
  until?: Date;
  /** Keyset: only records older than this one, in (at, id) order. */
  before?: { at: Date; id: string };
}

@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditRecordEntity) private readonly repo: Repository<AuditRecordEntity>) {}

  async insertMany(rows: readonly NewAuditRecord[]): Promise<void> {
    const json = rows.map((r) => ({
      at: r.at,
      actor_type: r.actorType,
      actor_id: r.actorId,
      actor_name: r.actorName,
      user_agent: r.userAgent,
      request_id: r.requestId,
      method: r.method,
      path: r.path,
      resource_type: r.resourceType,
      resource_id: r.resourceId,
      status: r.status,
      scim_type: r.scimType,
      summary: r.summary,
    }));
    await this.repo.manager.query(
      `INSERT INTO audit_log (at, actor_type, actor_id, actor_name, user_agent, request_id, method, path, resource_type, resource_id, status, scim_type, summary)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS ${RECORDSET}`,
      [JSON.stringify(json)],
    );
  }

  /** Records matching the filter, newest first, at most `limit`. */
  search(f: AuditFilter, limit: number): Promise<AuditRecordEntity[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (f.resourceId !== undefined) {
      where.push(`resource_id = ${p(f.resourceId)}`);
    }
    if (f.actor !== undefined) {
      const a = p(f.actor);
      where.push(`(actor_type = ${a} OR actor_id = ${a} OR actor_name = ${a})`);
    }
    if (f.outcome === 'success') {
      where.push('status < 400');
    } else if (f.outcome === 'failure') {
      where.push('status >= 400');
    } else if (f.outcome !== undefined) {
      where.push(`status = ${p(f.outcome)}`);
    }
    if (f.since) {
      where.push(`at >= ${p(f.since)}`);
    }
    if (f.until) {
      where.push(`at < ${p(f.until)}`);
    }
    if (f.before) {
      where.push(`(at, id) < (${p(f.before.at)}, ${p(f.before.id)}::bigint)`);
    }
    return this.repo.manager.query(
      `SELECT ${COLUMNS} FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ${p(limit)}`,
      params,
    );
  }

  /** Deletes up to `batch` records older than `days` days; returns how many went. Small batches keep each statement short. */
  async removeOlderThan(days: number, batch: number): Promise<number> {
    const [, n] = (await this.repo.manager.query(
      `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < now() - make_interval(days => $1) LIMIT $2)`,
      [days, batch],
    )) as [unknown, number];
    return n;
  }
}
