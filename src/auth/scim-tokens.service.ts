import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ScimError } from '../scim';
import { ScimTokenEntity } from './scim-token.entity';
import { ScimTokensRepository } from './scim-tokens.repository';

const TOKEN_PREFIX = 'scim_';
const PREFIX_LENGTH = TOKEN_PREFIX.length + 8;
/** last_used_at is a hint for admins, so it is written at most once a minute per token rather than on every request. */
const TOUCH_INTERVAL_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

const sha256 = (s: string) => createHash('sha256').update(s).digest();

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

  constructor(private readonly tokens: ScimTokensRepository) {}

  async create(name: string, expiresInDays?: number): Promise<IssuedScimToken> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000);
    const row = await this.tokens.insert({ name, prefix: token.slice(0, PREFIX_LENGTH), tokenHash: sha256(token), expiresAt });
    this.logger.log({ tokenId: row.id, prefix: row.prefix }, 'SCIM token created');
    return { ...view(row), token };
  }

  async list(): Promise<ScimTokenView[]> {
    return (await this.tokens.findAll()).map(view);
  }

  async revoke(id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.tokens.revoke(id))) {
      throw ScimError.notFound(`SCIM token ${id} not found`);
    }
    this.logger.log({ tokenId: id }, 'SCIM token revoked');
  }

  /** The principal for a presented token, or a 401 ScimError saying why it is refused. */
  async authenticate(token: string): Promise<ScimPrincipal> {
    const hash = sha256(token);
    const candidates = token.startsWith(TOKEN_PREFIX) ? await this.tokens.findWithHashByPrefix(token.slice(0, PREFIX_LENGTH)) : [];
    const row = candidates.find((c) => timingSafeEqual(c.tokenHash, hash));
    if (!row) {
      throw ScimError.unauthorized('The bearer token is not a valid SCIM token');
    }
    if (row.revokedAt) {
      throw ScimError.unauthorized('The bearer token has been revoked; ask an administrator for a new SCIM token');
    }
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
      throw ScimError.unauthorized(`The bearer token expired at ${row.expiresAt.toISOString()}; ask an administrator for a new SCIM token`);
    }
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      this.tokens.touch(row.id).catch((e: unknown) => this.logger.warn({ tokenId: row.id, err: e }, 'could not record token use'));
    }
    return { tokenId: row.id, tokenName: row.name };
  }
}
