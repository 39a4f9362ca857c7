import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { groupFilterMapping, whereOfFilter } from '../database/filter-to-sql';
import { UUID_PATTERN } from '../database/paged-search';
import { touchTeamsOfMember } from '../database/touch-groups';
import { transaction } from '../database/transaction';
import type { ScimContext } from '../http/scim-context.decorator';
import type { ListQueryDto } from '../http/scim-query.dto';
import { ScimResult, StreamedList } from '../http/scim-result';
import {
  applyPatch,
  checkIfMatch,
  etagOf,
  findExtension,
  groupResourceType,
  isObject,
  isRequested,
  jsonEqual,
  listResponse,
  ListResponse,
  locationOf,
  MemberOp,
  MemberRef,
  membersOf,
  parsePatchRequest,
  project,
  resolvePath,
  ScimError,
  ScimResource,
  toPage,
  URN,
  validateResource,
} from '../scim';
import { GroupEntity } from './group.entity';
import { toColumns, toScimGroup, toScimMember } from './group.mapper';
import { GroupsRepository, type MemberRow } from './groups.repository';

/** Members streamed per query for a full GET: bounded memory however large the team. */
const MEMBER_BATCH = 10_000;

@Injectable()
export class GroupsService {
  private readonly logger = new Logger(GroupsService.name);

  constructor(
    private readonly groups: GroupsRepository,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const { resource, dropped } = validateResource('Group', body, 'create');
    const { members, ...rest } = resource;
    const row = await transaction(this.dataSource, async (tx) => {
      const created = await this.groups.insert(toColumns(rest), tx);
      if (members !== undefined) {
        await this.applyMemberOps(created.id, [{ kind: 'add', members: membersOf(resource) }], tx);
      }
      return (await this.groups.findById(created.id, tx)) as GroupEntity;
    });
    this.logger.log({ groupId: row.id, op: 'create', ignored: dropped }, 'group created');
    return this.result(row, ctx);
  }

  async get(id: string, ctx: ScimContext): Promise<ScimResult> {
    const row = (await this.groups.findById(id)) ?? notFound(id);
    return this.result(row, ctx);
  }

  async list(
    q: Pick<ListQueryDto, 'filter' | 'startIndex' | 'count'>,
    ctx: ScimContext,
  ): Promise<ListResponse<ScimResource> | StreamedList> {
    const where = whereOfFilter(q.filter, 'Group', groupFilterMapping);
    const page = toPage(q, this.config.scimMaxResults);
    const { rows, total } = await this.groups.search(where, page);
    // excludedAttributes=members (Entra's lookups) must not touch the membership table at all.
    const ids = rows.map((r) => r.id);
    const members = rows.length > 0 && isRequested('Group', ctx, 'members') ? await this.groups.findMembersOf(ids, MEMBER_BATCH + 1) : [];
    if (members.length > MEMBER_BATCH) {
      // Large teams on the page (Okta pages all groups with their members): each streams like a single GET.
      const list = listResponse(
        rows.map((r) => project(toScimGroup(r, ctx.baseUrl), 'Group', ctx)),
        total,
        page.startIndex,
      );
      return new StreamedList(
        list,
        ids.map((id) => ({ name: 'members', batches: this.memberBatches(id, ctx) })),
      );
    }
    const byGroup = new Map<string, MemberRow[]>();
    for (const m of members) {
      const list = byGroup.get(m.groupId) ?? [];
      list.push(m);
      byGroup.set(m.groupId, list);
    }
    const resources = rows.map((r) => project(toScimGroup(r, ctx.baseUrl, byGroup.get(r.id)), 'Group', ctx));
    return listResponse(resources, total, page.startIndex);
  }

  /**
   * PUT (RFC 7644 §3.5.1) replaces the group's attributes. With `members` the member set becomes exactly that list
   * (the delta is computed in SQL); without `members` the membership is left as it is, and without the team
   * extension the team settings are kept: an IdP that only knows the core schema (Okta renames by PUT) can then
   * never empty a team or wipe its settings by omission.
   */
  async replace(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const { resource, dropped } = validateResource('Group', body, 'replace');
    const { members: _members, ...rest } = resource;
    const keys = isObject(body) ? Object.keys(body) : [];
    const memberOps: MemberOp[] = keys.some((k) => resolvePath('Group', k)?.path === 'members')
      ? [{ kind: 'replace', members: membersOf(resource) }]
      : [];
    const keepTeam = !keys.some((k) => findExtension(groupResourceType, k));
    return this.write(
      id,
      ctx,
      'replace',
      dropped,
      (current) => ({ resource: keepTeam ? withTeamOf(current, rest) : rest, memberOps }),
      true,
    );
  }

  /**
   * PATCH (RFC 7644 §3.5.2). Member operations run as set operations on group_members, never on a loaded list.
   * The answer is 204 No Content (allowed by §3.5.2) unless `attributes`/`excludedAttributes` ask for a body, so a
   * one-member change to a 100k-member team costs the same as to a small one.
   */
  async patch(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const operations = parsePatchRequest(body);
    const wantsBody = ctx.attributes !== undefined || ctx.excludedAttributes !== undefined;
    return this.write(id, ctx, 'patch', [], (current) => applyPatch(current, operations, 'Group'), wantsBody);
  }

  async delete(id: string, ctx: Pick<ScimContext, 'ifMatch'>): Promise<void> {
    await transaction(this.dataSource, async (tx) => {
      const row = (await this.groups.findByIdForUpdate(id, tx)) ?? notFound(id);
      checkIfMatch(ctx.ifMatch, row, 'Group');
      await this.groups.remove(id, tx);
    });
    this.logger.log({ groupId: id, op: 'delete' }, 'group deleted');
  }

  /** Read-modify-write of the group row (locked) plus membership changes, all in one transaction. */
  private async write(
    id: string,
    ctx: ScimContext,
    op: 'replace' | 'patch',
    ignored: readonly string[],
    change: (current: ScimResource) => { resource: ScimResource; memberOps: readonly MemberOp[]; dropped?: readonly string[] },
    withBody: boolean,
  ): Promise<ScimResult> {
    const { row, changed, dropped } = await transaction(this.dataSource, async (tx) => {
      const current = (await this.groups.findByIdForUpdate(id, tx)) ?? notFound(id);
      checkIfMatch(ctx.ifMatch, current, 'Group');
      const next = change(current.data);
      const { members: _ignored, ...resource } = next.resource;
      const dataChanged = !jsonEqual(resource, current.data);
      if (dataChanged) {
        const cols = toColumns(resource);
        await this.groups.update(id, cols, tx);
        // A nested team's display name shows in its parents' members[].display.
        if (cols.displayName !== current.displayName) {
          await touchTeamsOfMember(tx, 'child_group_id', id);
        }
      }
      const membersChanged = await this.applyMemberOps(id, next.memberOps, tx);
      const row = dataChanged || membersChanged ? ((await this.groups.findById(id, tx)) as GroupEntity) : current;
      return { row, changed: dataChanged || membersChanged, dropped: [...ignored, ...(next.dropped ?? [])] };
    });
    if (changed) {
      this.logger.log({ groupId: id, op, ignored: dropped }, 'group updated');
    }
    return withBody ? this.result(row, ctx) : new ScimResult(undefined, etagOf(row.version), locationOf('Group', row.id, ctx.baseUrl));
  }

  /** Runs membership operations in request order; true when any row was added or removed. */
  private async applyMemberOps(groupId: string, ops: readonly MemberOp[], tx: EntityManager): Promise<boolean> {
    let changed = 0;
    for (const op of ops) {
      switch (op.kind) {
        case 'add': {
          const { userIds, groupIds } = await this.resolveMembers(groupId, op.members, tx);
          changed += await this.groups.addMembers(groupId, userIds, groupIds, tx);
          break;
        }
        case 'remove':
          changed += await this.groups.removeMembers(groupId, uuids(op.values), tx);
          break;
        case 'removeAll':
          changed += await this.groups.removeMembersExcept(groupId, [], tx);
          break;
        case 'replace': {
          const { userIds, groupIds } = await this.resolveMembers(groupId, op.members, tx);
          changed += await this.groups.removeMembersExcept(groupId, [...userIds, ...groupIds], tx);
          changed += await this.groups.addMembers(groupId, userIds, groupIds, tx);
          break;
        }
      }
    }
    return changed > 0;
  }

  /**
   * Splits member references into existing users and groups. Untyped ids (Okta) are looked up in both; an id that
   * is neither is never turned into a user: it is skipped with a warning (SCIM_UNKNOWN_MEMBERS=ignore, the default)
   * or rejected (reject). Nesting that would make a group contain itself is rejected.
   */
  private async resolveMembers(groupId: string, members: readonly MemberRef[], tx: EntityManager) {
    const kinds = await this.groups.findKinds(uuids(members.map((m) => m.value)), tx);
    const userIds = new Set<string>();
    const groupIds = new Set<string>();
    const unknown: string[] = [];
    for (const m of members) {
      const id = m.value.toLowerCase();
      if (m.type !== 'Group' && kinds.users.has(id)) {
        userIds.add(id);
      } else if (m.type !== 'User' && kinds.groups.has(id)) {
        groupIds.add(id);
      } else {
        unknown.push(m.value);
      }
    }
    if (unknown.length > 0) {
      if (this.config.unknownMembers === 'reject') {
        throw ScimError.invalidValue(
          `members: no ${unknown.length === 1 ? 'User or Group has' : 'Users or Groups have'} the id ${unknown.join(', ')}`,
        );
      }
      this.logger.warn({ groupId, unknownMembers: unknown }, 'skipped members that are no known User or Group');
    }
    if (groupIds.size > 0) {
      // Serialise nesting changes so that two concurrent requests cannot close a cycle between them.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('group nesting'))`);
      if (await this.groups.reachesAny([...groupIds], groupId, tx)) {
        throw ScimError.invalidValue(`members: adding group(s) ${[...groupIds].join(', ')} would make group ${groupId} contain itself`);
      }
    }
    return { userIds: [...userIds], groupIds: [...groupIds] };
  }

  /** One group; a full member list is streamed from the database in keyset batches inside one snapshot. */
  private async result(row: GroupEntity, ctx: ScimContext): Promise<ScimResult> {
    const body = project(toScimGroup(row, ctx.baseUrl), 'Group', ctx);
    const result = new ScimResult(body, etagOf(row.version), locationOf('Group', row.id, ctx.baseUrl));
    if (!isRequested('Group', ctx, 'members')) {
      return result;
    }
    return result.withStream('members', this.memberBatches(row.id, ctx));
  }

  /**
   * The members as JSON text, batch by batch, in one snapshot. Without a projection PostgreSQL writes the JSON;
   * with one (`attributes=members.value`) each batch is projected here. The next batch is read while the current
   * one is written, so the database and the socket work at the same time; at most two batches are in memory.
   */
  private async *memberBatches(groupId: string, ctx: ScimContext): AsyncGenerator<string[]> {
    const runner = this.dataSource.createQueryRunner('slave');
    await runner.connect();
    await runner.startTransaction('REPEATABLE READ');
    const projected = ctx.attributes !== undefined || ctx.excludedAttributes !== undefined;
    const read = async (after: string | null): Promise<{ batch: string[]; last: string | null }> => {
      if (projected) {
        const page = await this.groups.findMembersPage(groupId, after, MEMBER_BATCH, runner.manager);
        const members =
          (project({ members: page.map((m) => toScimMember(m, ctx.baseUrl)) }, 'Group', ctx).members as unknown[] | undefined) ?? [];
        return { batch: members.map((m) => JSON.stringify(m)), last: page[page.length - 1]?.memberId ?? null };
      }
      const page = await this.groups.findMemberJsonPage(groupId, after, MEMBER_BATCH, ctx.baseUrl, runner.manager);
      return { batch: page.map((m) => m.json), last: page[page.length - 1]?.memberId ?? null };
    };
    type Read = Awaited<ReturnType<typeof read>>;
    const prefetch = (after: string | null): Promise<Read> => {
      const reading = read(after);
      reading.catch(() => undefined); // awaited later; a failure meanwhile must not count as unhandled
      return reading;
    };
    let next: Promise<Read> | undefined = prefetch(null);
    try {
      while (next) {
        const { batch, last }: Read = await next;
        next = last !== null && batch.length === MEMBER_BATCH ? prefetch(last) : undefined;
        if (batch.length > 0) {
          yield batch;
        }
      }
      await runner.commitTransaction();
    } finally {
      // A client that hangs up leaves a read in flight: let it settle before the rollback.
      await next?.catch(() => undefined);
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction();
      }
      await runner.release();
    }
  }
}

/** `next` with the team extension of `current`, and `schemas` listing it when present. */
function withTeamOf(current: ScimResource, next: ScimResource): ScimResource {
  const team = current[URN.TeamExtension];
  if (team === undefined) {
    return next;
  }
  return {
    ...next,
    schemas: [...(next.schemas as string[]).filter((u) => u !== URN.TeamExtension), URN.TeamExtension],
    [URN.TeamExtension]: team,
  };
}

const uuids = (values: readonly string[]) => [...new Set(values.map((v) => v.toLowerCase()).filter((v) => UUID_PATTERN.test(v)))];

const notFound = (id: string): never => {
  throw ScimError.notFound(`Group ${id} not found`);
};
