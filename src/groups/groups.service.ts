import { Inject, Injectable, Logger } from '@nestjs/common';
import { changedAttributes, noteChange } from '../audit/audit-context';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { ChangeFeed, Topic } from '../database/change-feed';
import { ListSupport, type ListQuery } from '../database/list-support';
import { Transactions } from '../database/transaction';
import type { ScimContext } from '../http/scim-context.decorator';
import { ScimResult, StreamedList } from '../http/scim-result';
import {
  applyPatch,
  checkIfMatch,
  etagOf,
  isRequested,
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
import { GroupEntity, type MemberRow } from './group.entity';
import { toColumns, toScimGroup, toScimMember } from './group.mapper';
import { GroupsRepository, MEMBER_BATCH } from './groups.repository';
import { MembershipService } from './membership.service';

/** A write to one team: what it is (for the log), how it changes the team, and whether the answer has a body. */
interface GroupWrite {
  readonly op: 'replace' | 'patch';
  /** Attributes the request named that this server does not know, for the log. */
  readonly ignored: readonly string[];
  readonly change: (current: ScimResource) => { resource: ScimResource; memberOps: readonly MemberOp[]; dropped?: readonly string[] };
  readonly withBody: boolean;
}

@Injectable()
export class GroupsService {
  private readonly logger = new Logger(GroupsService.name);

  constructor(
    private readonly groups: GroupsRepository,
    private readonly membership: MembershipService,
    private readonly transactions: Transactions,
    private readonly changes: ChangeFeed,
    private readonly lists: ListSupport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const { resource, dropped, memberships } = validateResource('Group', body, 'create');
    const { row, membersAdded } = await this.transactions.run(async (tx) => {
      const created = await this.groups.insert(toColumns(resource), tx);
      const { added } =
        memberships === undefined ? { added: 0 } : await this.membership.apply(created.id, [{ kind: 'add', members: memberships }], tx);
      return { row: (await this.groups.findById(created.id, tx)) as GroupEntity, membersAdded: added };
    });
    if (membersAdded > 0) {
      this.changes.changed(Topic.membership);
    }
    this.logger.log({ groupId: row.id, op: 'create', ignored: dropped }, 'group created');
    noteChange({
      resourceType: 'Group',
      resourceId: row.id,
      summary: { op: 'create', attributes: changedAttributes({}, row.data), membersAdded },
    });
    return this.result(row, ctx);
  }

  async get(id: string, ctx: ScimContext): Promise<ScimResult> {
    return this.result((await this.groups.findById(id)) ?? notFound(id), ctx);
  }

  async list(q: ListQuery, ctx: ScimContext): Promise<ListResponse<ScimResource> | StreamedList> {
    const plan = this.lists.plan('Group', q, this.config.scimMaxResults);
    const page = await this.groups.search(plan.filter, plan.sort, plan.paging);
    const { rows, total } = page;
    const position = this.lists.position(plan, page);
    // excludedAttributes=members (Entra's lookups) must not touch the membership table at all.
    const ids = rows.map((r) => r.id);
    const members = rows.length > 0 && isRequested('Group', ctx, 'members') ? await this.groups.findMembersOf(ids, MEMBER_BATCH + 1) : [];
    if (members.length > MEMBER_BATCH) {
      // Large teams on the page (Okta pages all groups with their members): each streams like a single GET.
      const list = listResponse(
        rows.map((r) => project(toScimGroup(r, ctx.baseUrl), 'Group', ctx)),
        total,
        position,
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
    return listResponse(resources, total, position);
  }

  /**
   * PUT (RFC 7644 §3.5.1) replaces the group's attributes. With `members` the member set becomes exactly that list
   * (the delta is computed in SQL); without `members` the membership is left as it is, and without the team
   * extension the team settings are kept: an IdP that only knows the core schema (Okta renames by PUT) can then
   * never empty a team or wipe its settings by omission.
   */
  async replace(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const { resource: rest, dropped, memberships } = validateResource('Group', body, 'replace');
    const memberOps: MemberOp[] = memberships !== undefined ? [{ kind: 'replace', members: memberships }] : [];
    return this.write(id, ctx, {
      op: 'replace',
      ignored: dropped,
      change: (current) => ({ resource: keepOmittedExtensions('Group', body, current, rest), memberOps }),
      withBody: true,
    });
  }

  /**
   * PATCH (RFC 7644 §3.5.2). Member operations run as set operations on group_members, never on a loaded list.
   * The answer is 204 No Content (allowed by §3.5.2) unless `attributes`/`excludedAttributes` ask for a body, so a
   * one-member change to a 100k-member team costs the same as to a small one.
   */
  async patch(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult> {
    const operations = parsePatchRequest(body);
    return this.write(id, ctx, {
      op: 'patch',
      ignored: [],
      change: (current) => applyPatch(current, operations, 'Group'),
      withBody: ctx.attributes !== undefined || ctx.excludedAttributes !== undefined,
    });
  }

  async delete(id: string, ctx: Pick<ScimContext, 'ifMatch'>): Promise<void> {
    await this.transactions.run(async (tx) => {
      const row = (await this.groups.findByIdForUpdate(id, tx)) ?? notFound(id);
      checkIfMatch(ctx.ifMatch, row, 'Group');
      await this.groups.remove(id, tx);
    });
    this.changes.changed(Topic.team);
    this.logger.log({ groupId: id, op: 'delete' }, 'group deleted');
    noteChange({ resourceType: 'Group', resourceId: id, summary: { op: 'delete' } });
  }

  /** Read-modify-write of the group row (locked) plus membership changes, all in one transaction. */
  private async write(id: string, ctx: ScimContext, { op, ignored, change, withBody }: GroupWrite): Promise<ScimResult> {
    const { row, attributes, members, dropped } = await this.transactions.run(async (tx) => {
      const current = (await this.groups.findByIdForUpdate(id, tx)) ?? notFound(id);
      checkIfMatch(ctx.ifMatch, current, 'Group');
      const next = change(current.data);
      const { members: _members, ...resource } = next.resource;
      const dataChanged = !jsonEqual(resource, current.data);
      if (dataChanged) {
        await this.groups.update(id, toColumns(resource), tx);
      }
      const counts = await this.membership.apply(id, next.memberOps, tx);
      const changed = dataChanged || counts.added + counts.removed > 0;
      return {
        row: changed ? ((await this.groups.findById(id, tx)) as GroupEntity) : current,
        attributes: dataChanged ? changedAttributes(current.data, resource) : [],
        members: counts,
        dropped: [...ignored, ...(next.dropped ?? [])],
      };
    });
    // This instance's caches of key answers (role, teams) forget at once; the triggers tell the other instances.
    if (members.added + members.removed > 0) {
      this.changes.changed(Topic.membership);
    }
    if (attributes.length > 0) {
      this.changes.changed(Topic.team);
    }
    if (attributes.length > 0 || members.added + members.removed > 0) {
      this.logger.log({ groupId: id, op, ignored: dropped }, 'group updated');
    }
    noteChange({
      resourceType: 'Group',
      resourceId: id,
      summary: { op, attributes, membersAdded: members.added, membersRemoved: members.removed },
    });
    return withBody ? this.result(row, ctx) : new ScimResult(undefined, etagOf(row.version), locationOf('Group', row.id, ctx.baseUrl));
  }

  /** One group; a full member list is streamed from the database in keyset batches inside one snapshot. */
  private result(row: GroupEntity, ctx: ScimContext): ScimResult {
    const body = project(toScimGroup(row, ctx.baseUrl), 'Group', ctx);
    const result = new ScimResult(body, etagOf(row.version), locationOf('Group', row.id, ctx.baseUrl));
    return isRequested('Group', ctx, 'members') ? result.withStream('members', this.memberBatches(row.id, ctx)) : result;
  }

  /** The members as JSON text: written by PostgreSQL, or with a projection (`attributes=members.value`) shaped here. */
  private async *memberBatches(groupId: string, ctx: ScimContext): AsyncGenerator<string[]> {
    if (ctx.attributes === undefined && ctx.excludedAttributes === undefined) {
      yield* this.groups.memberJsonBatches(groupId, ctx.baseUrl);
      return;
    }
    for await (const page of this.groups.memberRowBatches(groupId)) {
      const members =
        (project({ members: page.map((m) => toScimMember(m, ctx.baseUrl)) }, 'Group', ctx).members as unknown[] | undefined) ?? [];
      yield members.map((m) => JSON.stringify(m));
    }
  }
}

const notFound = (id: string): never => {
  throw ScimError.resourceNotFound('Group', id);
};
