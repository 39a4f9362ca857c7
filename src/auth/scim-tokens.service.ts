import { Injectable, Logger } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { noteChange } from '../audit/audit-context';
import { ChangeFeed } from '../database/change-feed';
import { FreshCache } from '../database/fresh-cache';
import { isUuid, ScimError } from '../scim';
import { ScimTokenEntity } from './scim-token.entity';
import { ScimTokensRepository } from './scim-tokens.repository';
import { newSecret, sha256 } from './secret';

const TOKEN_PREFIX = 'scim_';
const PREFIX_LENGTH = TOKEN_PREFIX.length + 8;
const TOUCH_INTERVAL_MS = 60_000;
/** The topic the scim_tokens trigger notifies (migration NotifyTokenChanges). */
const TOKEN_TOPIC = 'scim_token';
const CACHE_TTL_MS = 1000;
const CACHE_ENTRIES = 10_000;

export interface ScimTokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface IssuedScimToken extends ScimTokenView {
  /** The plaintext, returned only at creation. */
  token: string;
}

export interface ScimPrincipal {
  tokenId: string;
  tokenName: string;
}

const view = (t: ScimTokenEntity): ScimTokenView => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});

/** SCIM bearer tokens: issued by the admin API and the CLI, checked on every /scim/v2 request. */
@Injectable()
export class ScimTokensService {
  private readonly logger = new Logger(ScimTokensService.name);

  /**
   * Verified tokens by hash, for one second at most and cleared on every instance when a token changes (a revocation
   * takes effect everywhere within milliseconds, and within a second at worst): this saves a database round trip on
   * nearly every SCIM request.
   */
  private readonly verified: FreshCache<ScimTokenEntity>;
  private readonly lastTouch = new Map<string, number>();

  constructor(
    private readonly tokens: ScimTokensRepository,
    private readonly changes: ChangeFeed,
  ) {
    this.verified = new FreshCache(changes, [TOKEN_TOPIC], CACHE_TTL_MS, CACHE_ENTRIES);
  }

  async create(name: string, expiresInDays?: number): Promise<IssuedScimToken> {
    const token = newSecret(TOKEN_PREFIX);
    const expiresAt = expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000);
    const row = await this.tokens.insert({ name, prefix: token.slice(0, PREFIX_LENGTH), tokenHash: sha256(token), expiresAt });
    this.logger.log({ tokenId: row.id, prefix: row.prefix }, 'SCIM token created');
    noteChange({ resourceType: 'ScimToken', resourceId: row.id, summary: { op: 'create', name, expiresAt } });
    return { ...view(row), token };
  }

  async list(): Promise<ScimTokenView[]> {
    return (await this.tokens.findAll()).map(view);
  }

  async revoke(id: string): Promise<void> {
    if (!isUuid(id) || !(await this.tokens.revoke(id))) {
      throw ScimError.resourceNotFound('SCIM token', id);
    }
    this.changes.changed(TOKEN_TOPIC);
    this.logger.log({ tokenId: id }, 'SCIM token revoked');
    noteChange({ resourceType: 'ScimToken', resourceId: id, summary: { op: 'revoke' } });
  }

  /** The principal for a presented token, or a 401 ScimError saying why it is refused. */
  async authenticate(token: string): Promise<ScimPrincipal> {
    const hash = sha256(token);
    const row = await this.verified.get(hash.toString('base64url'), async () => {
      const candidates = token.startsWith(TOKEN_PREFIX) ? await this.tokens.findWithHashByPrefix(token.slice(0, PREFIX_LENGTH)) : [];
      return candidates.find((c) => timingSafeEqual(c.tokenHash, hash));
    });
    if (!row) {
      throw ScimError.unauthorized('The bearer token is not a valid SCIM token');
    }
    if (row.revokedAt) {
      throw ScimError.unauthorized('The bearer token has been revoked; ask an administrator for a new SCIM token');
    }
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
      throw ScimError.unauthorized(`The bearer token expired at ${row.expiresAt.toISOString()}; ask an administrator for a new SCIM token`);
    }
    this.noteUse(row);
    return { tokenId: row.id, tokenName: row.name };
  }

  /** last_used_at is a hint for admins: written at most once a minute per token and process, never awaited. */
  private noteUse(row: ScimTokenEntity): void {
    const last = this.lastTouch.get(row.id) ?? row.lastUsedAt?.getTime() ?? 0;
    if (Date.now() - last > TOUCH_INTERVAL_MS) {
      this.lastTouch.set(row.id, Date.now());
      this.tokens.touch(row.id).catch((e: unknown) => this.logger.warn({ tokenId: row.id, err: e }, 'could not record token use'));
    }
  }
}
