import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { changedAttributes, noteChange } from '../audit/audit-context';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { ChangeFeed, Topic } from '../database/change-feed';
import { ListSupport, type ListQuery } from '../database/list-support';
import { Transactions, type Tx } from '../database/transaction';
import type { ScimContext } from '../http/scim-context.decorator';
import { ScimResult } from '../http/scim-result';
import {
  applyPatch,
  checkIfMatch,
  etagOf,
  jsonEqual,
  listResponse,
  ListResponse,
  locationOf,
  parsePatchRequest,
  project,
  ScimError,
  ScimResource,
  validateResource,
} from '../scim';
import { hashPassword } from './password';
import { UserEntity } from './user.entity';
import { rankedRole, toColumns, toScimUser, UserColumns, userVersion } from './user.mapper';
import { UsersRepository } from './users.repository';

/** Writes that lost a race to another write read again this many times before they take the row lock. */
const OPTIMISTIC_ATTEMPTS = 3;

/** How a write treats an unassigned `active`. */
type ActiveRule = 'keep' | 'unassigned-is-inactive';

/** What deprovisioning did to the user's keys, for the audit trail and the log. */
type KeyEffect = { keysSuspended: number } | { keysRestored: number } | Record<string, never>;

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly keys: ApiKeysService,
    private readonly transactions: Transactions,
    private readonly changes: ChangeFeed,
    private readonly lists: ListSupport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const { resource, dropped } = validateResource('User', body, 'create');
    const { columns, passwordHash } = await this.prepare(resource);
    const row = await this.users.insert(columns, passwordHash);
    this.logger.log({ userId: row.id, op: 'create', ignored: dropped }, 'user created');
    noteChange({
      resourceType: 'User',
      resourceId: row.id,
      summary: { op: 'create', attributes: [...changedAttributes({}, row.data), ...(passwordHash === null ? [] : ['password'])] },
    });
    return this.result(row, ctx);
  }

  async get(id: string, ctx: ScimContext): Promise<ScimResult> {
    return this.result((await this.users.findById(id)) ?? notFound(id), ctx);
  }

  async list(q: ListQuery, ctx: ScimContext): Promise<ListResponse<ScimResource>> {
    const plan = this.lists.plan('User', q, this.config.scimMaxResults);
    const page = await this.users.search(plan.filter, plan.sort, plan.paging);
    return listResponse(
      page.rows.map((r) => project(toScimUser(r, ctx.baseUrl), 'User', ctx)),
      page.total,
      this.lists.position(plan, page),
    );
  }

  /**
   * PUT (RFC 7644 §3.5.1): the body replaces the resource; readOnly attributes are ignored. An omitted `active`
   * keeps the current value, so a PUT that leaves it out (Okta's profile updates) never re-enables a deprovisioned user.
   */
  async replace(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const { resource, dropped } = validateResource('User', body, 'replace');
    return this.write(id, ctx, 'replace', 'keep', () => ({ resource, dropped }));
  }

  /**
   * PATCH (RFC 7644 §3.5.2). An operation that leaves `active` unassigned (`remove active`, `active: null`) deactivates:
   * an unassigned `active` reads as not active, the safe reading, never as an answer that changed nothing.
   */
  async patch(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const operations = parsePatchRequest(body);
    return this.write(id, ctx, 'patch', 'unassigned-is-inactive', (current) => applyPatch(current, operations, 'User'));
  }

  /**
   * DELETE: the user, its memberships (the foreign key cascades) and all its API keys go in one transaction, so no key
   * outlives its user, and the next check refuses them on every instance.
   */
  async delete(id: string, ctx: Pick<ScimContext, 'ifMatch'>): Promise<void> {
    const { keysDeleted, teamsLeft } = await this.transactions.run(async (tx) => {
      const row = (await this.users.findByIdForUpdate(id, tx)) ?? notFound(id);
      checkIfMatch(ctx.ifMatch, { ...row, version: userVersion(row) }, 'User');
      const removed = await this.keys.removeAllOf(id, tx);
      await this.users.remove(id, tx);
      return { keysDeleted: removed, teamsLeft: row.groups.length };
    });
    this.changes.changed(Topic.user);
    this.logger.log({ userId: id, op: 'delete', keysDeleted }, 'user deleted');
    noteChange({ resourceType: 'User', resourceId: id, summary: { op: 'delete', keysDeleted, teamsLeft } });
  }

  /**
   * Read-modify-write. The write is one UPDATE that holds only if the row is still at the version that was read, so no
   * lock is held while the change is computed (a large PATCH never blocks others); a write that lost a race reads again.
   * After OPTIMISTIC_ATTEMPTS lost races it runs under the row lock, so it always makes progress. A change that alters
   * nothing writes nothing and keeps the version. A change of `active` (either way) runs in a transaction with its
   * effect on the user's API keys: deactivation suspends them, reactivation restores the ones it suspended.
   */
  private async write(
    id: string,
    ctx: ScimContext,
    op: 'replace' | 'patch',
    active: ActiveRule,
    change: (current: ScimResource) => { resource: ScimResource; dropped: readonly string[] },
  ): Promise<ScimResult> {
    const attempt = async (tx?: Tx) => {
      const current = (await (tx ? this.users.findByIdForUpdate(id, tx) : this.users.findById(id))) ?? notFound(id);
      checkIfMatch(ctx.ifMatch, { ...current, version: userVersion(current) }, 'User');
      const next = change(current.data);
      const unassigned = active === 'keep' ? current.active : false;
      const { columns, passwordHash } = await this.prepare({ ...next.resource, active: next.resource.active ?? unassigned });
      // The columns derive from data and role, so comparing those two tells whether anything changed.
      if (passwordHash === null && columns.role === current.role && jsonEqual(columns.data, current.data)) {
        return { row: current, changed: false, attributes: [] as string[], keys: {} as KeyEffect, dropped: next.dropped };
      }
      const save = (t: Tx | undefined) => this.save(current, columns, passwordHash, t);
      const saved = columns.active === current.active || tx ? await save(tx) : await this.transactions.run(save);
      const attributes = [...changedAttributes(current.data, columns.data), ...(passwordHash === null ? [] : ['password'])];
      return saved && { row: saved.row, changed: true, attributes, keys: saved.keys, dropped: next.dropped };
    };
    let outcome: Awaited<ReturnType<typeof attempt>>;
    for (let i = 0; i < OPTIMISTIC_ATTEMPTS && !outcome; i++) {
      outcome = await attempt();
    }
    const { row, changed, attributes, keys, dropped } =
      outcome ?? ((await this.transactions.run((tx) => attempt(tx))) as NonNullable<typeof outcome>);
    if (changed) {
      this.changes.changed(Topic.user);
      this.logger.log({ userId: id, op, ignored: dropped, ...keys }, 'user updated');
    }
    noteChange({ resourceType: 'User', resourceId: id, summary: { op, attributes, ...keys } });
    return this.result(row, ctx);
  }

  /**
   * The guarded UPDATE and, when `active` changed, the keys: the UPDATE takes the row lock first (a key being created
   * holds it FOR SHARE, so one waits for the other), then the keys change in the same transaction.
   */
  private async save(
    current: UserEntity,
    columns: UserColumns,
    passwordHash: string | null,
    tx: Tx | undefined,
  ): Promise<{ row: UserEntity; keys: KeyEffect } | undefined> {
    const row = await this.users.update(current.id, current.version, columns, passwordHash, tx);
    if (!row || columns.active === current.active) {
      return row && { row, keys: {} };
    }
    if (!tx) {
      throw new Error('a change of active must run in a transaction');
    }
    return columns.active
      ? { row, keys: { keysRestored: await this.keys.restoreAllOf(current.id, tx) } }
      : { row, keys: { keysSuspended: await this.keys.suspendAllOf(current.id, tx) } };
  }

  /** Splits the write-only password off (hashed) and derives the columns, including the role `roles` give. */
  private async prepare(resource: ScimResource): Promise<{ columns: UserColumns; passwordHash: string | null }> {
    const { password, ...rest } = resource;
    const passwordHash = typeof password === 'string' ? await hashPassword(password) : null;
    return { columns: toColumns(rest, this.roleOf(rest)), passwordHash };
  }

  private roleOf(resource: ScimResource): string {
    return rankedRole(resource.roles, this.config.userRoles, this.config.defaultUserRole);
  }

  private result(row: UserEntity, ctx: ScimContext): ScimResult {
    return new ScimResult(
      project(toScimUser(row, ctx.baseUrl), 'User', ctx),
      etagOf(userVersion(row)),
      locationOf('User', row.id, ctx.baseUrl),
    );
  }
}

const notFound = (id: string): never => {
  throw ScimError.resourceNotFound('User', id);
};
