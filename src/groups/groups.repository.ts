import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { SqlFragment } from '../database/filter-to-sql';
import { pagedSearch, UUID_PATTERN } from '../database/paged-search';
import type { Page } from '../scim';
import { GroupEntity } from './group.entity';
import type { GroupColumns } from './group.mapper';

const COLUMNS = `g.id, g.display_name AS "displayName", g.external_id AS "externalId", g.data, g.created, g.last_modified AS "lastModified", g.version`;

/** One member of a team as SCIM shows it. */
export interface MemberRow {
  groupId: string;
  memberId: string;
  type: 'User' | 'Group';
  display: string | null;
}

const MEMBER_COLUMNS = `m.group_id AS "groupId", m.member_id AS "memberId",
  CASE WHEN u.id IS NULL THEN 'Group' ELSE 'User' END AS type,
  coalesce(u.display_name, u.user_name, c.display_name) AS display`;
/**
 * A member's user or group. Joined on member_id (a user's or a group's id, never both), group_members is read from
 * its primary key alone, and groups only for members that are no user: a third less work per member of a large team.
 */
const MEMBER_JOINS = `group_members m LEFT JOIN users u ON u.id = m.member_id LEFT JOIN groups c ON u.id IS NULL AND c.id = m.member_id`;

@Injectable()
export class GroupsRepository {
  constructor(@InjectRepository(GroupEntity) private readonly repo: Repository<GroupEntity>) {}

  private m(tx?: EntityManager): EntityManager {
    return tx ?? this.repo.manager;
  }

  async findById(id: string, tx?: EntityManager): Promise<GroupEntity | undefined> {
    return UUID_PATTERN.test(id)
      ? ((await this.m(tx).query(`SELECT ${COLUMNS} FROM groups g WHERE g.id = $1`, [id])) as GroupEntity[])[0]
      : undefined;
  }

  /**
   * Locks the group row: every write to a team (its data or its members) queues behind this lock. NO KEY UPDATE, as
   * for users: nesting this team elsewhere (KEY SHARE) need not wait for it.
   */
  async findByIdForUpdate(id: string, tx: EntityManager): Promise<GroupEntity | undefined> {
    return UUID_PATTERN.test(id)
      ? ((await tx.query(`SELECT ${COLUMNS} FROM groups g WHERE g.id = $1 FOR NO KEY UPDATE`, [id])) as GroupEntity[])[0]
      : undefined;
  }

  search(where: SqlFragment, page: Page): Promise<{ rows: GroupEntity[]; total: number }> {
    return pagedSearch<GroupEntity>(this.m(), { from: 'groups g', columns: COLUMNS, order: 'g.created, g.id' }, where, page);
  }

  async insert(cols: GroupColumns, tx: EntityManager): Promise<GroupEntity> {
    const rows = (await tx.query(`INSERT INTO groups AS g (display_name, external_id, data) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [
      cols.displayName,
      cols.externalId,
      cols.data,
    ])) as GroupEntity[];
    return rows[0] as GroupEntity;
  }

  async update(id: string, cols: GroupColumns, tx: EntityManager): Promise<void> {
    await tx.query(
      `UPDATE groups SET display_name = $2, external_id = $3, data = $4, version = version + 1, last_modified = now() WHERE id = $1`,
      [id, cols.displayName, cols.externalId, cols.data],
    );
  }

  async remove(id: string, tx: EntityManager): Promise<void> {
    await tx.query(`DELETE FROM groups WHERE id = $1`, [id]);
  }

  /**
   * Which of these ids are users and which are groups (Okta sends nested groups untyped). The rows are locked
   * (KEY SHARE) until the transaction ends, so a member cannot be deleted between this check and its insert.
   */
  async findKinds(ids: readonly string[], tx: EntityManager): Promise<{ users: Set<string>; groups: Set<string> }> {
    const of = async (table: 'users' | 'groups') =>
      new Set(
        ((await tx.query(`SELECT id::text FROM ${table} WHERE id = ANY($1::uuid[]) FOR KEY SHARE`, [ids])) as { id: string }[]).map(
          (r) => r.id,
        ),
      );
    return { users: await of('users'), groups: await of('groups') };
  }

  /** Whether `parentId` is one of these groups or reachable below them, i.e. nesting them would close a cycle. */
  async reachesAny(childIds: readonly string[], parentId: string, tx: EntityManager): Promise<boolean> {
    const rows = (await tx.query(
      `WITH RECURSIVE below(id) AS (
         SELECT unnest($1::uuid[])
         UNION SELECT m.child_group_id FROM group_members m JOIN below b ON m.group_id = b.id WHERE m.child_group_id IS NOT NULL)
       SELECT 1 FROM below WHERE id = $2 LIMIT 1`,
      [childIds, parentId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Adds members; existing ones are left alone (idempotent, also under concurrency). Returns how many were new. */
  async addMembers(groupId: string, userIds: readonly string[], groupIds: readonly string[], tx: EntityManager): Promise<number> {
    const rows = (await tx.query(
      `WITH added AS (
         INSERT INTO group_members (group_id, user_id, child_group_id)
         SELECT $1::uuid, u, NULL::uuid FROM unnest($2::uuid[]) u UNION ALL SELECT $1::uuid, NULL::uuid, c FROM unnest($3::uuid[]) c
         ON CONFLICT (group_id, member_id) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM added`,
      [groupId, userIds, groupIds],
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** Removes just these members (ids that are not members are ignored); returns how many went. */
  async removeMembers(groupId: string, memberIds: readonly string[], tx: EntityManager): Promise<number> {
    const [, n] = (await tx.query(`DELETE FROM group_members WHERE group_id = $1 AND member_id = ANY($2::uuid[])`, [
      groupId,
      memberIds,
    ])) as [unknown, number];
    return n;
  }

  /** Makes the member set exactly `keep` minus what is not listed: deletes everyone else, in one statement. */
  async removeMembersExcept(groupId: string, keep: readonly string[], tx: EntityManager): Promise<number> {
    const [, n] = (await tx.query(`DELETE FROM group_members WHERE group_id = $1 AND member_id <> ALL($2::uuid[])`, [groupId, keep])) as [
      unknown,
      number,
    ];
    return n;
  }

  /** Members of several groups (list responses), at most `limit` of them: the caller streams when there are more. */
  findMembersOf(groupIds: readonly string[], limit: number): Promise<MemberRow[]> {
    return this.m().query(
      `SELECT ${MEMBER_COLUMNS} FROM ${MEMBER_JOINS} WHERE m.group_id = ANY($1::uuid[]) ORDER BY m.group_id, m.member_id LIMIT $2`,
      [groupIds, limit],
    );
  }

  /**
   * One keyset page of a team's members as SCIM JSON text, built by PostgreSQL: a full GET of a 100k-member team
   * then never materialises member objects in Node.
   */
  async findMemberJsonPage(
    groupId: string,
    after: string | null,
    limit: number,
    baseUrl: string,
    tx: EntityManager,
  ): Promise<{ memberId: string; json: string }[]> {
    return tx.query(
      // Concatenated rather than json_build_object (half the cost per row): ids are UUIDs, the base URL arrives
      // JSON-escaped, and to_json escapes the display name.
      `SELECT m.member_id AS "memberId",
         '{"value":"' || m.member_id || '","$ref":"' || $4 || CASE WHEN u.id IS NULL THEN '/Groups/' ELSE '/Users/' END || m.member_id
         || '","display":' || to_json(coalesce(u.display_name, u.user_name, c.display_name))
         || ',"type":"' || CASE WHEN u.id IS NULL THEN 'Group' ELSE 'User' END || '"}' AS json
       FROM ${MEMBER_JOINS} WHERE m.group_id = $1 AND ($2::uuid IS NULL OR m.member_id > $2::uuid) ORDER BY m.member_id LIMIT $3`,
      [groupId, after, limit, JSON.stringify(baseUrl).slice(1, -1)],
    );
  }

  /** One keyset page of a team's members, ordered by member id, after `after` (exclusive). */
  findMembersPage(groupId: string, after: string | null, limit: number, tx: EntityManager): Promise<MemberRow[]> {
    return tx.query(
      `SELECT ${MEMBER_COLUMNS} FROM ${MEMBER_JOINS} WHERE m.group_id = $1 AND ($2::uuid IS NULL OR m.member_id > $2::uuid) ORDER BY m.member_id LIMIT $3`,
      [groupId, after, limit],
    );
  }
}
