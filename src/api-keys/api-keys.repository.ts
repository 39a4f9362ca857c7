import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import type { Tx } from '../database/transaction';
import { ApiKeyEntity, KeyState } from './api-key.entity';

const COLUMNS = `k.id, k.user_id AS "userId", k.name, k.prefix, k.created_at AS "createdAt", k.expires_at AS "expiresAt",
  k.last_used_at AS "lastUsedAt", k.status, k.status_changed_at AS "statusChangedAt", k.status_changed_by AS "statusChangedBy"`;

/** Keys that are live as far as the key goes (the user's state is the caller's business). */
const LIVE = `k.status = 'active' AND (k.expires_at IS NULL OR k.expires_at > now())`;

/**
 * Everything an answer about a key needs, in one statement by the key's prefix: the key, its user's active, role and
 * userName, and the user's direct teams (through the membership index).
 */
const STATES_BY_PREFIX = `SELECT k.id, k.key_hash AS "keyHash", k.status, k.created_at AS "createdAt", k.expires_at AS "expiresAt",
    k.last_used_at AS "lastUsedAt", u.id AS "userId", u.user_name AS "userName", u.active AS "userActive", u.role AS "userRole",
    (SELECT coalesce(json_agg(json_build_object('id', g.id, 'displayName', g.display_name) ORDER BY g.display_name, g.id), '[]')
     FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = u.id) AS teams
  FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.prefix = $1`;

const count = (result: unknown) => (result as [unknown, number])[1];

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>) {}

  private m(tx?: Tx): EntityManager {
    return tx ?? this.repo.manager;
  }

  /**
   * The user's `active`, its row locked FOR SHARE until the transaction ends. A deactivation updates that row, so it
   * waits for a key inserted under this lock to commit and then suspends it too; a key created after a deactivation
   * committed sees `active` false. Either way no live key is left for an inactive user.
   */
  async lockUser(userId: string, tx: Tx): Promise<{ active: boolean } | undefined> {
    return ((await tx.query(`SELECT active FROM users WHERE id = $1 FOR SHARE`, [userId])) as { active: boolean }[])[0];
  }

  async findUserIdByUserName(userName: string): Promise<string | undefined> {
    const rows = (await this.m().query(`SELECT id FROM users WHERE lower(user_name) = lower($1)`, [userName])) as { id: string }[];
    return rows[0]?.id;
  }

  async userExists(userId: string): Promise<boolean> {
    return ((await this.m().query(`SELECT 1 FROM users WHERE id = $1`, [userId])) as unknown[]).length > 0;
  }

  async insert(row: Pick<ApiKeyEntity, 'userId' | 'name' | 'prefix' | 'keyHash' | 'expiresAt'>, tx: Tx): Promise<ApiKeyEntity> {
    const rows = (await tx.query(
      `INSERT INTO api_keys AS k (user_id, name, prefix, key_hash, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [row.userId, row.name, row.prefix, row.keyHash, row.expiresAt],
    )) as ApiKeyEntity[];
    return rows[0] as ApiKeyEntity;
  }

  findByUser(userId: string): Promise<ApiKeyEntity[]> {
    return this.m().query(`SELECT ${COLUMNS} FROM api_keys k WHERE k.user_id = $1 ORDER BY k.created_at, k.id`, [userId]);
  }

  /** Revokes the key (final; a suspended key too). Its user, or undefined when there is no such key; revoking twice is no error. */
  async revoke(id: string, by: string): Promise<{ userId: string; changed: boolean } | undefined> {
    const rows = (await this.m().query(
      `WITH target AS (SELECT id, user_id, status FROM api_keys WHERE id = $1 FOR UPDATE),
         revoked AS (UPDATE api_keys k SET status = 'revoked', status_changed_at = now(), status_changed_by = $2
                     FROM target t WHERE k.id = t.id AND t.status <> 'revoked' RETURNING k.id)
       SELECT t.user_id AS "userId", EXISTS (SELECT 1 FROM revoked) AS changed FROM target t`,
      [id, by],
    )) as { userId: string; changed: boolean }[];
    return rows[0];
  }

  /** Deactivation: suspends the user's live keys; returns how many. */
  async suspendAllOf(userId: string, by: string, tx: Tx): Promise<number> {
    return count(
      await tx.query(
        `UPDATE api_keys k SET status = 'suspended', status_changed_at = now(), status_changed_by = $2 WHERE k.user_id = $1 AND ${LIVE}`,
        [userId, by],
      ),
    );
  }

  /** Reactivation: restores exactly the suspended keys that have not expired meanwhile (revoked ones stay revoked); returns how many. */
  async restoreAllOf(userId: string, by: string, tx: Tx): Promise<number> {
    return count(
      await tx.query(
        `UPDATE api_keys k SET status = 'active', status_changed_at = now(), status_changed_by = $2
         WHERE k.user_id = $1 AND k.status = 'suspended' AND (k.expires_at IS NULL OR k.expires_at > now())`,
        [userId, by],
      ),
    );
  }

  /** Deletes every key of the user (before the user goes, in its transaction); returns how many. */
  async removeAllOf(userId: string, tx: Tx): Promise<number> {
    return count(await tx.query(`DELETE FROM api_keys WHERE user_id = $1`, [userId]));
  }

  /** Candidates for a presented key, with their users' state; the caller compares hashes in constant time. */
  findStatesByPrefix(prefix: string): Promise<KeyState[]> {
    return preparedQuery(this.m(), STATES_BY_PREFIX, [prefix]);
  }

  async touch(id: string): Promise<void> {
    await this.m().query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [id]);
  }
}
