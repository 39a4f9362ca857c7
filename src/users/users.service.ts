import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { changedAttributes, noteChange } from '../audit/audit-context';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { ChangeFeed, Topic } from '../database/change-feed';
import { ListSupport, type ListQuery } from '../database/list-support';
import { Transactions, type Tx } from '../database/transaction';
import { MembershipService } from '../groups/membership.service';
import type { ScimContext } from '../http/scim-context.decorator';
import { ScimResult } from '../http/scim-result';
import {
  applyPatch,
  checkIfMatch,
  etagOf,
  jsonEqual,
  keepOmittedExtensions,
  listResponse,
  ListResponse,
  locationOf,
  MemberOp,
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

/** A PUT or PATCH as computed from the stored resource: the new resource and the `groups` changes it asks for. */
type UserChange = { resource: ScimResource; dropped: readonly string[]; memberOps: readonly MemberOp[] };

/** What a write through the user did to its teams (`groups`). */
const NO_TEAM_CHANGE = { joined: 0, left: 0 };

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly keys: ApiKeysService,
    private readonly memberships: MembershipService,
    private readonly transactions: Transactions,
    private readonly changes: ChangeFeed,
    private readonly lists: ListSupport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * POST. A `groups` list puts the new user into those teams in the same transaction (LiteLLM's clients do this; an
   * empty list, Okta's habit, changes nothing). Teams are not stored on the user: they are rows of group_members.
   */
  async create(body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const { resource, dropped, memberships = [] } = validateResource('User', body, 'create', { userGroups: true });
    const { columns, passwordHash } = await this.prepare(resource);
    const { row, joined } =
      memberships.length === 0
        ? { row: await this.users.insert(columns, passwordHash), joined: 0 }
        : await this.transactions.run(async (tx) => {
            const inserted = await this.users.insert(columns, passwordHash, tx);
            const teams = await this.memberships.applyToUser(inserted.id, [{ kind: 'add', members: memberships }], tx);
            const reread = teams.joined > 0 ? await this.users.findById(inserted.id, tx) : undefined;
            return { row: reread ?? inserted, joined: teams.joined };
          });
    if (joined > 0) {
      this.changes.changed(Topic.membership);
    }
    this.logger.log({ userId: row.id, op: 'create', ignored: dropped }, 'user created');
    noteChange({
      resourceType: 'User',
      resourceId: row.id,
      summary: {
        op: 'create',
        attributes: [...changedAttributes({}, row.data), ...(passwordHash === null ? [] : ['password'])],
        ...(joined > 0 && { teamsJoined: joined }),
      },
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
   * keeps the current value, so a PUT that leaves it out (Okta's profile updates) never re-enables a deprovisioned user,
   * and an omitted user settings extension is kept. `groups` is readOnly unless SCIM_USER_GROUPS_WRITABLE: then a
   * `groups` list sets the user's direct teams to exactly that list, and a PUT without `groups` leaves them.
   */
  async replace(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const { resource, dropped, memberships } = validateResource('User', body, 'replace', { userGroups: this.config.userGroupsWritable });
    const memberOps: MemberOp[] = memberships !== undefined ? [{ kind: 'replace', members: memberships }] : [];
    return this.write(id, ctx, 'replace', 'keep', (current) => ({
      resource: keepOmittedExtensions('User', body, current, resource),
      dropped,
      memberOps,
    }));
  }

  /**
   * PATCH (RFC 7644 §3.5.2). An operation that leaves `active` unassigned (`remove active`, `active: null`) deactivates:
   * an unassigned `active` reads as not active, the safe reading, never as an answer that changed nothing.
   */
  async patch(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const operations = parsePatchRequest(body);
    const options = { userGroups: this.config.userGroupsWritable };
    return this.write(id, ctx, 'patch', 'unassigned-is-inactive', (current) => applyPatch(current, operations, 'User', options));
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
   * effect on the user's API keys: deactivation suspends them, reactivation restores the ones it suspended. A change
   * of `groups` runs under the row lock, in one transaction with the rest of the write.
   */
  private async write(
    id: string,
    ctx: ScimContext,
    op: 'replace' | 'patch',
    active: ActiveRule,
    change: (current: ScimResource) => UserChange,
  ): Promise<ScimResult> {
    const attempt = async (tx?: Tx) => {
      const current = (await (tx ? this.users.findByIdForUpdate(id, tx) : this.users.findById(id))) ?? notFound(id);
      checkIfMatch(ctx.ifMatch, { ...current, version: userVersion(current) }, 'User');
      const next = change(current.data);
      if (next.memberOps.length > 0 && !tx) {
        return undefined; // to the locked transaction at once
      }
      const teams = tx && next.memberOps.length > 0 ? await this.memberships.applyToUser(id, next.memberOps, tx) : NO_TEAM_CHANGE;
      const teamsChanged = teams.joined + teams.left > 0;
      const unassigned = active === 'keep' ? current.active : false;
      const { columns, passwordHash } = await this.prepare({ ...next.resource, active: next.resource.active ?? unassigned });
      // The columns derive from data and role, so comparing those two tells whether anything changed.
      if (passwordHash === null && columns.role === current.role && jsonEqual(columns.data, current.data)) {
        const row = teamsChanged ? ((await this.users.findById(id, tx)) as UserEntity) : current;
        return {
          row,
          changed: teamsChanged,
          attributes: teamsChanged ? ['groups'] : [],
          keys: {} as KeyEffect,
          teams,
          dropped: next.dropped,
        };
      }
      const save = (t: Tx | undefined) => this.save(current, columns, passwordHash, t);
      const saved = columns.active === current.active || tx ? await save(tx) : await this.transactions.run(save);
      const attributes = [
        ...changedAttributes(current.data, columns.data),
        ...(passwordHash === null ? [] : ['password']),
        ...(teamsChanged ? ['groups'] : []),
      ];
      return saved && { row: saved.row, changed: true, attributes, keys: saved.keys, teams, dropped: next.dropped };
    };
    let outcome: Awaited<ReturnType<typeof attempt>>;
    for (let i = 0; i < OPTIMISTIC_ATTEMPTS && !outcome; i++) {
      outcome = await attempt();
    }
    const { row, changed, attributes, keys, teams, dropped } =
      outcome ?? ((await this.transactions.run((tx) => attempt(tx))) as NonNullable<typeof outcome>);
    const teamsChanged = teams.joined + teams.left > 0;
    if (changed) {
      this.changes.changed(Topic.user);
      this.logger.log({ userId: id, op, ignored: dropped, ...keys }, 'user updated');
    }
    if (teamsChanged) {
      // This instance's key answers (role, teams) forget at once; the triggers tell the other instances.
      this.changes.changed(Topic.membership);
    }
    const teamEffect = teamsChanged ? { teamsJoined: teams.joined, teamsLeft: teams.left } : {};
    noteChange({ resourceType: 'User', resourceId: id, summary: { op, attributes, ...keys, ...teamEffect } });
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
