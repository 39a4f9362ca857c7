import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { commonCustom, FilterMapping, filterToSql, membershipMatch } from '../database/filter-to-sql';
import { ListPage, listPage, ListSource } from '../database/list-query';
import type { Tx } from '../database/transaction';
import { BoundFilter, isUuid, Paging, Sort } from '../scim';
import { GroupEntity, type MemberRow } from './group.entity';
import type { GroupColumns } from './group.mapper';

const COLUMNS = `g.id, g.display_name AS "displayName", g.external_id AS "externalId", g.data, g.created, g.last_modified AS "lastModified", g.version`;

const MEMBER_COLUMNS = `m.group_id AS "groupId", m.member_id AS "memberId",
  CASE WHEN u.id IS NULL THEN 'Group' ELSE 'User' END AS type,
  coalesce(u.display_name, u.user_name, c.display_name) AS display`;
/**
 * A member's user or group. Joined on member_id (a user's or a group's id, never both), group_members is read from
 * its primary key alone, and groups only for members that are no user: a third less work per member of a large team.
 */
const MEMBER_JOINS = `group_members m LEFT JOIN users u ON u.id = m.member_id LEFT JOIN groups c ON u.id IS NULL AND c.id = m.member_id`;

/** How filters read the groups table (alias `g`); members come from group_members through the membership index. */
const FILTER_MAPPING: FilterMapping = {
  data: 'g.data',
  columns: {
    displayName: { expr: 'g.display_name', type: 'text' },
    externalId: { expr: 'g.external_id', type: 'text', nullable: true },
    'meta.created': { expr: 'g.created', type: 'timestamptz' },
    'meta.lastModified': { expr: 'g.last_modified', type: 'timestamptz' },
  },
  custom: {
    ...commonCustom('g', 'Group'),
    'members.value': (node, param) => membershipMatch('group_members gm WHERE gm.group_id = g.id', 'gm.member_id', node, param),
  },
  elements: {
    members: `(SELECT jsonb_build_object('value', gm.member_id::text, 'type', CASE WHEN gm.user_id IS NULL THEN 'Group' ELSE 'User' END,
        'display', coalesce(mu.display_name, mu.user_name, mg.display_name))
      FROM group_members gm LEFT JOIN users mu ON mu.id = gm.user_id LEFT JOIN groups mg ON mg.id = gm.child_group_id WHERE gm.group_id = g.id)`,
  },
};

const SOURCE: ListSource = { table: 'groups', alias: 'g', columns: COLUMNS, mapping: FILTER_MAPPING };

/** The WHERE fragment a groups filter compiles to (exported for the SQL unit tests). */
export const groupFilterSql = (filter: BoundFilter | undefined, offset = 0) => filterToSql(filter, FILTER_MAPPING, offset);

/** Members per keyset batch of a streamed team: bounded memory however large the team. */
export const MEMBER_BATCH = 10_000;

@Injectable()
export class GroupsRepository {
  constructor(
    @InjectRepository(GroupEntity) private readonly repo: Repository<GroupEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  private m(tx?: Tx): EntityManager {
    return tx ?? this.repo.manager;
  }

  async findById(id: string, tx?: Tx): Promise<GroupEntity | undefined> {
    return isUuid(id) ? ((await this.m(tx).query(`SELECT ${COLUMNS} FROM groups g WHERE g.id = $1`, [id])) as GroupEntity[])[0] : undefined;
  }

  /**
   * Locks the group row: every write to a team (its data or its members) queues behind this lock. NO KEY UPDATE, as
   * for users: nesting this team elsewhere (KEY SHARE) need not wait for it.
   */
  async findByIdForUpdate(id: string, tx: Tx): Promise<GroupEntity | undefined> {
    return isUuid(id)
      ? ((await tx.query(`SELECT ${COLUMNS} FROM groups g WHERE g.id = $1 FOR NO KEY UPDATE`, [id])) as GroupEntity[])[0]
      : undefined;
  }

  /** One page of groups in the requested order (see listPage). */
  search(filter: BoundFilter | undefined, sort: Sort, paging: Paging): Promise<ListPage<GroupEntity>> {
    return listPage<GroupEntity>(this.m(), SOURCE, groupFilterSql(filter), sort, paging);
  }

  async insert(cols: GroupColumns, tx: Tx): Promise<GroupEntity> {
    const rows = (await tx.query(`INSERT INTO groups AS g (display_name, external_id, data) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [
      cols.displayName,
      cols.externalId,
      cols.data,
    ])) as GroupEntity[];
    return rows[0] as GroupEntity;
  }

  /** Writes new columns; the version trigger bumps version and lastModified (and a rename bumps the parent teams). */
  async update(id: string, cols: GroupColumns, tx: Tx): Promise<void> {
    await tx.query(`UPDATE groups SET display_name = $2, external_id = $3, data = $4 WHERE id = $1`, [
      id,
      cols.displayName,
      cols.externalId,
      cols.data,
    ]);
  }

  async remove(id: string, tx: Tx): Promise<void> {
    await tx.query(`DELETE FROM groups WHERE id = $1`, [id]);
  }

  /**
   * Which of these ids are users and which are groups (Okta sends nested groups untyped). The rows are locked
   * (KEY SHARE) until the transaction ends, so a member cannot be deleted between this check and its insert.
   */
  async findKinds(ids: readonly string[], tx: Tx): Promise<{ users: Set<string>; groups: Set<string> }> {
    const of = async (table: 'users' | 'groups') =>
      new Set(
        ((await tx.query(`SELECT id::text FROM ${table} WHERE id = ANY($1::uuid[]) FOR KEY SHARE`, [ids])) as { id: string }[]).map(
          (r) => r.id,
        ),
      );
    return { users: await of('users'), groups: await of('groups') };
  }

  /** Serialises nesting changes until the transaction ends, so that two concurrent requests cannot close a cycle between them. */
  async lockNesting(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('group nesting'))`);
  }

  /** Whether `parentId` is one of these groups or reachable below them, i.e. nesting them would close a cycle. */
  async reachesAny(childIds: readonly string[], parentId: string, tx: Tx): Promise<boolean> {
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
  async addMembers(groupId: string, userIds: readonly string[], groupIds: readonly string[], tx: Tx): Promise<number> {
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
  async removeMembers(groupId: string, memberIds: readonly string[], tx: Tx): Promise<number> {
    const [, n] = (await tx.query(`DELETE FROM group_members WHERE group_id = $1 AND member_id = ANY($2::uuid[])`, [
      groupId,
      memberIds,
    ])) as [unknown, number];
    return n;
  }

  /** Makes the member set exactly `keep` minus what is not listed: deletes everyone else, in one statement. */
  async removeMembersExcept(groupId: string, keep: readonly string[], tx: Tx): Promise<number> {
    const [, n] = (await tx.query(`DELETE FROM group_members WHERE group_id = $1 AND member_id <> ALL($2::uuid[])`, [groupId, keep])) as [
      unknown,
      number,
    ];
    return n;
  }

  /** Makes a user a member of these teams; memberships it already has stay (idempotent). Returns how many were new. */
  async addUserToGroups(userId: string, groupIds: readonly string[], tx: Tx): Promise<number> {
    const rows = (await tx.query(
      `WITH added AS (
         INSERT INTO group_members (group_id, user_id) SELECT g, $1::uuid FROM unnest($2::uuid[]) g
         ON CONFLICT (group_id, member_id) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM added`,
      [userId, groupIds],
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** Takes a user out of these teams (`except`: out of every team but these); returns how many memberships went. */
  async removeUserFromGroups(userId: string, groupIds: readonly string[], except: boolean, tx: Tx): Promise<number> {
    const [, n] = (await tx.query(
      `DELETE FROM group_members WHERE user_id = $1 AND ${except ? 'group_id <> ALL($2::uuid[])' : 'group_id = ANY($2::uuid[])'}`,
      [userId, groupIds],
    )) as [unknown, number];
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
   * A team's members as SCIM JSON text, batch by batch, built by PostgreSQL: a full GET of a 100k-member team then
   * never materialises member objects in Node.
   */
  memberJsonBatches(groupId: string, baseUrl: string): AsyncGenerator<string[]> {
    // Concatenated rather than json_build_object (half the cost per row): ids are UUIDs, the base URL arrives
    // JSON-escaped, and to_json escapes the display name.
    const sql = `SELECT m.member_id AS "memberId",
         '{"value":"' || m.member_id || '","$ref":"' || $4 || CASE WHEN u.id IS NULL THEN '/Groups/' ELSE '/Users/' END || m.member_id
         || '","display":' || to_json(coalesce(u.display_name, u.user_name, c.display_name))
         || ',"type":"' || CASE WHEN u.id IS NULL THEN 'Group' ELSE 'User' END || '"}' AS json
       FROM ${MEMBER_JOINS} WHERE m.group_id = $1 AND ($2::uuid IS NULL OR m.member_id > $2::uuid) ORDER BY m.member_id LIMIT $3`;
    const escaped = JSON.stringify(baseUrl).slice(1, -1);
    return this.keysetBatches(async (after, m) =>
      ((await m.query(sql, [groupId, after, MEMBER_BATCH, escaped])) as { memberId: string; json: string }[]).map((r) => ({
        key: r.memberId,
        item: r.json,
      })),
    );
  }

  /** A team's members as rows, batch by batch (for a projected GET, which shapes each member in Node). */
  memberRowBatches(groupId: string): AsyncGenerator<MemberRow[]> {
    const sql = `SELECT ${MEMBER_COLUMNS} FROM ${MEMBER_JOINS} WHERE m.group_id = $1 AND ($2::uuid IS NULL OR m.member_id > $2::uuid) ORDER BY m.member_id LIMIT $3`;
    return this.keysetBatches(async (after, m) =>
      ((await m.query(sql, [groupId, after, MEMBER_BATCH])) as MemberRow[]).map((r) => ({ key: r.memberId, item: r })),
    );
  }

  /**
   * Keyset batches of MEMBER_BATCH items, read in one snapshot (REPEATABLE READ) on a connection of their own that is
   * released however the iteration ends, also when the client hangs up half-way. The next batch is read while the
   * caller writes the current one, so the database and the socket work at the same time; at most two are in memory.
   */
  private async *keysetBatches<T>(
    read: (after: string | null, m: EntityManager) => Promise<{ key: string; item: T }[]>,
  ): AsyncGenerator<T[]> {
    const runner = this.dataSource.createQueryRunner('slave');
    await runner.connect();
    let next: Promise<{ key: string; item: T }[]> | undefined;
    const prefetch = (after: string | null) => {
      const reading = read(after, runner.manager);
      reading.catch(() => undefined); // awaited later; a failure meanwhile must not count as unhandled
      return reading;
    };
    try {
      await runner.startTransaction('REPEATABLE READ');
      next = prefetch(null);
      while (next) {
        const batch: { key: string; item: T }[] = await next;
        const last: string | undefined = batch[batch.length - 1]?.key;
        next = last !== undefined && batch.length === MEMBER_BATCH ? prefetch(last) : undefined;
        if (batch.length > 0) {
          yield batch.map((b) => b.item);
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
