import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { commonCustom, FilterMapping, filterToSql, membershipMatch, predicate } from '../database/filter-to-sql';
import { ListPage, listPage, ListSource } from '../database/list-query';
import { isUniqueViolation } from '../database/pg-errors';
import { preparedQuery } from '../database/prepared';
import type { Tx } from '../database/transaction';
import { BoundFilter, foldCase, isUuid, Paging, ScimError, Sort } from '../scim';
import { UserEntity } from './user.entity';
import { UserColumns } from './user.mapper';

/** The user row's own columns, as UserEntity names them. */
export const USER_COLUMNS = `u.id, u.user_name AS "userName", u.external_id AS "externalId", u.display_name AS "displayName", u.active,
  u.primary_email AS "primaryEmail", u.emails, u.role, u.data, u.created, u.last_modified AS "lastModified", u.version`;
/**
 * Every read returns the user's direct teams too (the readOnly `groups` attribute), derived from group_members in the
 * same statement: one round trip per request, and never stored twice.
 */
export const USER_WITH_GROUPS = `${USER_COLUMNS},
  (SELECT coalesce(json_agg(json_build_object('groupId', g.id, 'display', g.display_name) ORDER BY g.display_name, g.id), '[]')
   FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = u.id) AS groups`;

/**
 * How filters read the users table (alias `u`): indexed columns for the attributes IdPs look users up by, `emails
 * text[]` holding every address folded (GIN index), `data` jsonb for the rest, and `groups` from the membership table.
 */
const FILTER_MAPPING: FilterMapping = {
  data: 'u.data',
  columns: {
    userName: { expr: 'u.user_name', type: 'text' },
    displayName: { expr: 'u.display_name', type: 'text', nullable: true },
    externalId: { expr: 'u.external_id', type: 'text', nullable: true },
    active: { expr: 'u.active', type: 'boolean' },
    'meta.created': { expr: 'u.created', type: 'timestamptz' },
    'meta.lastModified': { expr: 'u.last_modified', type: 'timestamptz' },
  },
  custom: {
    ...commonCustom('u', 'User'),
    // The column holds the addresses already folded (foldCase); folding the literal the same way here, not with
    // lower(), keeps the match independent of the database's locale.
    'emails.value': ({ op, value }, param) => {
      const folded = value === undefined ? undefined : foldCase(String(value));
      return op === 'eq'
        ? `u.emails @> ARRAY[${param(folded)}::text]`
        : `EXISTS (SELECT 1 FROM unnest(u.emails) AS m(v) WHERE ${predicate('m.v', 'text', true, op, folded, param)})`;
    },
    // A team's members (RFC 7643 §4.1.2 `groups`), straight from the membership index.
    'groups.value': (node, param) => membershipMatch('group_members gm WHERE gm.user_id = u.id', 'gm.group_id', node, param),
  },
  elements: {
    groups: `(SELECT jsonb_build_object('value', gm.group_id::text, 'display', gg.display_name, 'type', 'direct')
      FROM group_members gm JOIN groups gg ON gg.id = gm.group_id WHERE gm.user_id = u.id)`,
  },
};

const SOURCE: ListSource = { table: 'users', alias: 'u', columns: USER_WITH_GROUPS, mapping: FILTER_MAPPING };

/** The WHERE fragment a users filter compiles to (exported for the SQL unit tests). */
export const userFilterSql = (filter: BoundFilter | undefined, offset = 0) => filterToSql(filter, FILTER_MAPPING, offset);

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  private m(tx?: Tx): EntityManager {
    return tx ?? this.repo.manager;
  }

  async findById(id: string, tx?: Tx): Promise<UserEntity | undefined> {
    return isUuid(id)
      ? (await preparedQuery<UserEntity[]>(this.m(tx), `SELECT ${USER_WITH_GROUPS} FROM users u WHERE u.id = $1`, [id]))[0]
      : undefined;
  }

  /**
   * Locks the row for a read-modify-write (PUT, PATCH) so concurrent writers queue instead of losing updates. NO KEY
   * UPDATE, because the id never changes: a team PATCH adding this user (KEY SHARE, and its foreign key check) need
   * not wait, so a user write and a team write never wait on each other in a cycle.
   */
  async findByIdForUpdate(id: string, tx: Tx): Promise<UserEntity | undefined> {
    return isUuid(id)
      ? (await preparedQuery<UserEntity[]>(tx, `SELECT ${USER_WITH_GROUPS} FROM users u WHERE u.id = $1 FOR NO KEY UPDATE`, [id]))[0]
      : undefined;
  }

  /** One page of users in the requested order (see listPage). */
  search(filter: BoundFilter | undefined, sort: Sort, paging: Paging): Promise<ListPage<UserEntity>> {
    return listPage<UserEntity>(this.m(), SOURCE, userFilterSql(filter), sort, paging);
  }

  async insert(cols: UserColumns, passwordHash: string | null, tx?: Tx): Promise<UserEntity> {
    try {
      const rows = await preparedQuery<UserEntity[]>(
        this.m(tx),
        `INSERT INTO users AS u (user_name, external_id, display_name, active, primary_email, emails, role, data, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${USER_COLUMNS}, '[]'::json AS groups`, // a new user is in no team yet
        [cols.userName, cols.externalId, cols.displayName, cols.active, cols.primaryEmail, cols.emails, cols.role, cols.data, passwordHash],
      );
      return rows[0] as UserEntity;
    } catch (e) {
      throw this.translate(e, cols.userName);
    }
  }

  /**
   * Writes new columns if the row is still at `version` (the version trigger then bumps version and lastModified), in
   * one statement; undefined when another write came first. A null passwordHash keeps the stored one.
   */
  async update(id: string, version: number, cols: UserColumns, passwordHash: string | null, tx?: Tx): Promise<UserEntity | undefined> {
    try {
      const [rows] = await preparedQuery<[UserEntity[], number]>(
        this.m(tx),
        `UPDATE users u SET user_name = $2, external_id = $3, display_name = $4, active = $5, primary_email = $6, emails = $7,
           role = $8, data = $9, password_hash = coalesce($10, u.password_hash)
         WHERE u.id = $1 AND u.version = $11 RETURNING ${USER_WITH_GROUPS}`,
        [
          id,
          cols.userName,
          cols.externalId,
          cols.displayName,
          cols.active,
          cols.primaryEmail,
          cols.emails,
          cols.role,
          cols.data,
          passwordHash,
          version,
        ],
      );
      return rows[0];
    } catch (e) {
      throw this.translate(e, cols.userName);
    }
  }

  async remove(id: string, tx: Tx): Promise<boolean> {
    if (!isUuid(id)) {
      return false;
    }
    const [, affected] = (await tx.query(`DELETE FROM users WHERE id = $1`, [id])) as [unknown, number];
    return affected > 0;
  }

  private translate(e: unknown, userName: string): unknown {
    return isUniqueViolation(e)
      ? ScimError.uniqueness(`userName '${userName}' is already taken (userName is unique, case-insensitively)`)
      : e;
  }
}
