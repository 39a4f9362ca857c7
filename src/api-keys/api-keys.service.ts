import { Injectable, Logger } from '@nestjs/common';
import { actorLabel, currentActor, noteChange } from '../audit/audit-context';
import { newSecret, sha256 } from '../auth/secret';
import { ChangeFeed, Topic } from '../database/change-feed';
import { Transactions, type Tx } from '../database/transaction';
import { isUuid, ScimError } from '../scim';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';

export const KEY_PREFIX = 'sk_';
/** `sk_` and 8 random characters: stored to find a key's row and shown to recognise it. */
export const KEY_PREFIX_LENGTH = KEY_PREFIX.length + 8;

export type KeyStatus = 'active' | 'suspended' | 'revoked' | 'expired';

export interface ApiKeyView {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  status: KeyStatus;
  statusChangedAt: Date | null;
  statusChangedBy: string | null;
}

export interface IssuedApiKey extends ApiKeyView {
  /** The plaintext, returned only at creation. */
  key: string;
}

/** What an admin sees: revoked is final, then expiry, then suspension by deprovisioning. */
export const statusOf = (k: Pick<ApiKeyEntity, 'status' | 'expiresAt'>, now = Date.now()): KeyStatus =>
  k.status === 'revoked' ? 'revoked' : k.expiresAt && k.expiresAt.getTime() <= now ? 'expired' : k.status;

const view = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id,
  userId: k.userId,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt,
  expiresAt: k.expiresAt,
  lastUsedAt: k.lastUsedAt,
  status: statusOf(k),
  statusChangedAt: k.statusChangedAt,
  statusChangedBy: k.statusChangedBy,
});

const userNotFound = (id: string): never => {
  throw ScimError.resourceNotFound('User', id);
};

/**
 * User API keys: issued and revoked by admins (API and CLI), and suspended, restored or deleted with their user by
 * deprovisioning, always in the transaction that changes the user.
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly transactions: Transactions,
    private readonly changes: ChangeFeed,
  ) {}

  /**
   * A new key for an active user (404 for an unknown user, 409 for an inactive one). The user row stays locked FOR
   * SHARE until the key is committed, so a concurrent deactivation either comes first (and this is refused) or waits
   * and then suspends this key too.
   */
  async create(userId: string, name: string, expiresInDays?: number): Promise<IssuedApiKey> {
    if (!isUuid(userId)) {
      userNotFound(userId);
    }
    const key = newSecret(KEY_PREFIX);
    const expiresAt = expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000);
    const row = await this.transactions.run(async (tx) => {
      const user = (await this.keys.lockUser(userId, tx)) ?? userNotFound(userId);
      if (!user.active) {
        throw ScimError.conflict(`User ${userId} is not active: its access is suspended until the identity provider reactivates it`);
      }
      return this.keys.insert({ userId, name, prefix: key.slice(0, KEY_PREFIX_LENGTH), keyHash: sha256(key), expiresAt }, tx);
    });
    noteChange({ resourceType: 'ApiKey', resourceId: row.id, summary: { op: 'create', userId, name, expiresAt } });
    this.logger.log({ keyId: row.id, userId, prefix: row.prefix }, 'API key created');
    return { ...view(row), key };
  }

  /** The user's keys, oldest first, revoked and expired ones included; never a secret. */
  async list(userId: string): Promise<ApiKeyView[]> {
    if (!isUuid(userId) || !(await this.keys.userExists(userId))) {
      userNotFound(userId);
    }
    return (await this.keys.findByUser(userId)).map(view);
  }

  /** Revokes a key for good (a suspended one too); the next check refuses it on every instance. */
  async revoke(id: string): Promise<void> {
    const revoked = isUuid(id) ? await this.keys.revoke(id, actorLabel(currentActor())) : undefined;
    if (!revoked) {
      throw ScimError.resourceNotFound('API key', id);
    }
    this.changes.changed(Topic.apiKey);
    noteChange({ resourceType: 'ApiKey', resourceId: id, summary: { op: 'revoke', userId: revoked.userId, changed: revoked.changed } });
    this.logger.log({ keyId: id, userId: revoked.userId }, 'API key revoked');
  }

  /** A user's id from its id or its userName (case-insensitively), for the CLI. */
  async userIdOf(ref: string): Promise<string> {
    const id = isUuid(ref) ? ref : await this.keys.findUserIdByUserName(ref);
    return id ?? userNotFound(ref);
  }

  /** Deactivation, inside the transaction that sets the user inactive: suspends its live keys; returns how many. */
  suspendAllOf(userId: string, tx: Tx): Promise<number> {
    return this.keys.suspendAllOf(userId, actorLabel(currentActor()), tx);
  }

  /** Reactivation: restores exactly the keys deactivation suspended that have not expired meanwhile; returns how many. */
  restoreAllOf(userId: string, tx: Tx): Promise<number> {
    return this.keys.restoreAllOf(userId, actorLabel(currentActor()), tx);
  }

  /** Deletion, inside the transaction that deletes the user: removes its keys; returns how many. */
  removeAllOf(userId: string, tx: Tx): Promise<number> {
    return this.keys.removeAllOf(userId, tx);
  }
}
