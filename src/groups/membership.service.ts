import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { Tx } from '../database/transaction';
import { isUuid, MemberOp, MemberRef, ScimError } from '../scim';
import { GroupsRepository } from './groups.repository';

const uuids = (values: readonly string[]) => [...new Set(values.map((v) => v.toLowerCase()).filter(isUuid))];

/**
 * The membership rules of teams: which ids may become members (unknown ids, users versus nested groups), that no
 * team contains itself, and that a change is a set operation on group_members, never a rewrite of a loaded list.
 */
@Injectable()
export class MembershipService {
  private readonly logger = new Logger(MembershipService.name);

  constructor(
    private readonly groups: GroupsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Runs membership operations on one team, in request order, inside the caller's transaction; returns how many
   * members came and went (a member removed and added back counts in both).
   */
  async apply(groupId: string, ops: readonly MemberOp[], tx: Tx): Promise<{ added: number; removed: number }> {
    let added = 0;
    let removed = 0;
    for (const op of ops) {
      switch (op.kind) {
        case 'add': {
          const { userIds, groupIds } = await this.resolve(groupId, op.members, tx);
          added += await this.groups.addMembers(groupId, userIds, groupIds, tx);
          break;
        }
        case 'remove':
          removed += await this.groups.removeMembers(groupId, uuids(op.values), tx);
          break;
        case 'removeAll':
          removed += await this.groups.removeMembersExcept(groupId, [], tx);
          break;
        case 'replace': {
          const { userIds, groupIds } = await this.resolve(groupId, op.members, tx);
          removed += await this.groups.removeMembersExcept(groupId, [...userIds, ...groupIds], tx);
          added += await this.groups.addMembers(groupId, userIds, groupIds, tx);
          break;
        }
      }
    }
    return { added, removed };
  }

  /**
   * Runs a User's `groups` operations (POST always; PUT and PATCH with SCIM_USER_GROUPS_WRITABLE) as membership
   * changes from the user's side, with the team side's rules: the same table, versions and unknown-id policy. Returns
   * how many teams the user joined and left.
   */
  async applyToUser(userId: string, ops: readonly MemberOp[], tx: Tx): Promise<{ joined: number; left: number }> {
    let joined = 0;
    let left = 0;
    for (const op of ops) {
      switch (op.kind) {
        case 'add':
          joined += await this.groups.addUserToGroups(userId, await this.teams(userId, op.members, tx), tx);
          break;
        case 'remove':
          left += await this.groups.removeUserFromGroups(userId, uuids(op.values), false, tx);
          break;
        case 'removeAll':
          left += await this.groups.removeUserFromGroups(userId, [], true, tx);
          break;
        case 'replace': {
          const teams = await this.teams(userId, op.members, tx);
          left += await this.groups.removeUserFromGroups(userId, teams, true, tx);
          joined += await this.groups.addUserToGroups(userId, teams, tx);
          break;
        }
      }
    }
    return { joined, left };
  }

  /** The team ids among `refs`; an id that is no team follows SCIM_UNKNOWN_MEMBERS, as an unknown member id does. */
  private async teams(userId: string, refs: readonly MemberRef[], tx: Tx): Promise<string[]> {
    const { groups } = await this.groups.findKinds(uuids(refs.map((r) => r.value)), tx);
    const unknown = refs.filter((r) => !groups.has(r.value.toLowerCase())).map((r) => r.value);
    if (unknown.length > 0) {
      if (this.config.unknownMembers === 'reject') {
        throw ScimError.invalidValue(`groups: no Group has the id ${unknown.join(', ')}`);
      }
      this.logger.warn({ userId, unknownGroups: unknown }, 'skipped groups that are no known Group');
    }
    return [...groups];
  }

  /**
   * Splits member references into existing users and groups. Untyped ids (Okta) are looked up in both; an id that
   * is neither is never turned into a user: it is skipped with a warning (SCIM_UNKNOWN_MEMBERS=ignore, the default)
   * or rejected (reject). Nesting that would make a group contain itself is rejected.
   */
  private async resolve(groupId: string, members: readonly MemberRef[], tx: Tx) {
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
      await this.groups.lockNesting(tx);
      if (await this.groups.reachesAny([...groupIds], groupId, tx)) {
        throw ScimError.invalidValue(`members: adding group(s) ${[...groupIds].join(', ')} would make group ${groupId} contain itself`);
      }
    }
    return { userIds: [...userIds], groupIds: [...groupIds] };
  }
}
