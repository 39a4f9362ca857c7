import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { SqlFragment } from '../database/filter-to-sql';
import { isUniqueViolation, pagedSearch, UUID_PATTERN as UUID } from '../database/paged-search';
import { preparedQuery } from '../database/prepared';
import { Page, ScimError } from '../scim';
import { UserEntity } from './user.entity';
import { UserColumns } from './user.mapper';

/**
 * Every read returns the user's direct teams too (the readOnly `groups` attribute), derived from group_members in the
 * same statement: one round trip per request, and never stored twice.
 */
const OWN_COLUMNS = `u.id, u.user_name AS "userName", u.external_id AS "externalId", u.display_name AS "displayName", u.active,
  u.primary_email AS "primaryEmail", u.emails, u.role, u.data, u.created, u.last_modified AS "lastModified", u.version`;
const COLUMNS = `${OWN_COLUMNS},
  (SELECT coalesce(json_agg(json_build_object('groupId', g.id, 'display', g.display_name) ORDER BY g.display_name, g.id), '[]')
   FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = u.id) AS groups`;

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  private m(tx?: EntityManager): EntityManager {
    return tx ?? this.repo.manager;
  }

  async findById(id: string, tx?: EntityManager): Promise<UserEntity | undefined> {
    return UUID.test(id)
      ? (await preparedQuery<UserEntity[]>(this.m(tx), `SELECT ${COLUMNS} FROM users u WHERE u.id = $1`, [id]))[0]
      : undefined;
  }

  /**
   * Locks the row for a read-modify-write (PUT, PATCH) so concurrent writers queue instead of losing updates. NO KEY
   * UPDATE, because the id never changes: a team PATCH adding this user (KEY SHARE, and its foreign key check) need
   * not wait, so a user write and a team write never wait on each other in a cycle.
   */
  async findByIdForUpdate(id: string, tx: EntityManager): Promise<UserEntity | undefined> {
    return UUID.test(id)
      ? (await preparedQuery<UserEntity[]>(tx, `SELECT ${COLUMNS} FROM users u WHERE u.id = $1 FOR NO KEY UPDATE`, [id]))[0]
      : undefined;
  }

  search(where: SqlFragment, page: Page): Promise<{ rows: UserEntity[]; total: number }> {
    return pagedSearch<UserEntity>(this.m(), { from: 'users u', columns: COLUMNS, order: 'u.created, u.id' }, where, page);
  }

  async insert(cols: UserColumns, passwordHash: string | null, tx?: EntityManager): Promise<UserEntity> {
    try {
      const rows = await preparedQuery<UserEntity[]>(
        this.m(tx),
        `INSERT INTO users AS u (user_name, external_id, display_name, active, primary_email, emails, role, data, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${OWN_COLUMNS}, '[]'::json AS groups`, // a new user is in no team yet
        [cols.userName, cols.externalId, cols.displayName, cols.active, cols.primaryEmail, cols.emails, cols.role, cols.data, passwordHash],
      );
      return rows[0] as UserEntity;
    } catch (e) {
      throw this.translate(e, cols.userName);
    }
  }

  /** Writes new columns, bumps version and lastModified; a null passwordHash keeps the stored one. */
  async update(id: string, cols: UserColumns, passwordHash: string | null, tx: EntityManager): Promise<UserEntity> {
    try {
      const rows = (await tx.query(
        `UPDATE users u SET user_name = $2, external_id = $3, display_name = $4, active = $5, primary_email = $6, emails = $7,
           role = $8, data = $9, password_hash = coalesce($10, u.password_hash), version = u.version + 1, last_modified = now()
         WHERE u.id = $1 RETURNING ${COLUMNS}`,
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
        ],
      )) as [UserEntity[], number];
      return rows[0][0] as UserEntity;
    } catch (e) {
      throw this.translate(e, cols.userName);
    }
  }

  async remove(id: string, tx: EntityManager): Promise<boolean> {
    if (!UUID.test(id)) {
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
