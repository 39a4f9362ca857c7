import { Inject, Injectable, Logger } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../auth/secret';
import { ADMIN_ROLE, APP_CONFIG, type AppConfig } from '../config/env';
import { ChangeFeed, Topic } from '../database/change-feed';
import { FreshCache } from '../database/fresh-cache';
import { HttpAnswer } from '../http/http-answer';
import { currentRequest } from '../http/request-info';
import { ScimError } from '../scim';
import { KeyState } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { KEY_PREFIX, KEY_PREFIX_LENGTH } from './api-keys.service';

const CACHE_TTL_MS = 1000;
const CACHE_ENTRIES = 50_000;
const TOUCH_INTERVAL_MS = 60_000;
/** Longer than any key this server issues (46 characters): not worth hashing. */
const MAX_KEY_LENGTH = 256;
/** Neither introspection nor forward-auth answers may be stored by a proxy: the next request must ask again. */
const NO_STORE = { 'Cache-Control': 'no-store' };
const BEARER = /^Bearer +(\S+) *$/i;

/** A key that works right now, with who it speaks for. */
export interface LiveKey {
  keyId: string;
  userId: string;
  userName: string;
  role: string;
  teams: { id: string; displayName: string }[];
  createdAt: Date;
  expiresAt: Date | null;
}

/** RFC 7662 §2.2 introspection response; `role` and `teams` are this server's extensions. */
export type Introspection =
  | { active: false }
  | {
      active: true;
      sub: string;
      username: string;
      token_type: 'api_key';
      iat: number;
      exp?: number;
      jti: string;
      role: string;
      teams: { id: string; displayName: string }[];
    };

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** A header value is Latin-1 at most: a userName outside printable ASCII (or with `%`) is percent-encoded as UTF-8. */
const headerSafe = (s: string) => (/^[\x20-\x24\x26-\x7e]*$/.test(s) ? s : encodeURIComponent(s));

/**
 * How the application checks a user API key: RFC 7662 introspection and forward auth (nginx auth_request, Traefik
 * ForwardAuth, Envoy ext_authz). A key is live while it is active and unexpired and its user exists and is active.
 * Answers come from a per-instance cache of each key's state, kept at most 1 s and cleared on every instance when a
 * key, a user's active/role/userName, a membership or a team changes (ChangeFeed); the instance that made a change
 * clears its own at once, so it is exact on the very next request.
 */
@Injectable()
export class KeyCheckService {
  private readonly logger = new Logger(KeyCheckService.name);
  private readonly states: FreshCache<KeyState>;
  private readonly lastTouch = new Map<string, number>();
  private readonly adminGroup: string | undefined;

  constructor(
    private readonly keys: ApiKeysRepository,
    changes: ChangeFeed,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.states = new FreshCache(changes, [Topic.apiKey, Topic.user, Topic.membership, Topic.team], CACHE_TTL_MS, CACHE_ENTRIES);
    this.adminGroup = config.adminGroup?.toLowerCase();
  }

  /** The key's answer if it is live now, else undefined (unknown, revoked, suspended, expired, or its user inactive). */
  async check(key: string): Promise<LiveKey | undefined> {
    if (!key.startsWith(KEY_PREFIX) || key.length > MAX_KEY_LENGTH) {
      return undefined;
    }
    const hash = sha256(key);
    const state = await this.states.get(hash.toString('base64url'), async () => {
      const candidates = await this.keys.findStatesByPrefix(key.slice(0, KEY_PREFIX_LENGTH));
      return candidates.find((c) => timingSafeEqual(c.keyHash, hash));
    });
    if (!state || state.status !== 'active' || !state.userActive || (state.expiresAt && state.expiresAt.getTime() <= Date.now())) {
      return undefined;
    }
    this.noteUse(state);
    return {
      keyId: state.id,
      userId: state.userId,
      userName: state.userName,
      role: this.roleOf(state),
      teams: state.teams,
      createdAt: state.createdAt,
      expiresAt: state.expiresAt,
    };
  }

  /** RFC 7662 §2.2: a live key's claims, or `{"active": false}` for anything else (never an error). */
  async introspect(token: string): Promise<HttpAnswer> {
    const live = await this.check(token);
    const body: Introspection = live
      ? {
          active: true,
          sub: live.userId,
          username: live.userName,
          token_type: 'api_key',
          iat: seconds(live.createdAt),
          ...(live.expiresAt && { exp: seconds(live.expiresAt) }),
          jti: live.keyId,
          role: live.role,
          teams: live.teams,
        }
      : { active: false };
    return new HttpAnswer(200, NO_STORE, body);
  }

  /** Forward auth: 200 with the user in X-Auth-* headers for a live key in `Authorization: Bearer`, else 401. */
  async verify(authorization: string | undefined): Promise<HttpAnswer> {
    const key = BEARER.exec(authorization ?? '')?.[1];
    if (!key) {
      throw ScimError.unauthorized('Missing or malformed bearer token: send "Authorization: Bearer <API key>"');
    }
    const live = await this.check(key);
    if (!live) {
      throw ScimError.unauthorized('The API key is not valid: unknown, revoked, expired, or its user is deactivated');
    }
    const info = currentRequest();
    if (info) {
      info.principal = { kind: 'api-key', id: live.keyId, userId: live.userId };
    }
    return new HttpAnswer(200, {
      ...NO_STORE,
      'X-Auth-User-Id': live.userId,
      'X-Auth-User-Name': headerSafe(live.userName),
      'X-Auth-Role': live.role,
      'X-Auth-Teams': live.teams.map((t) => t.id).join(','),
      'X-Auth-Key-Id': live.keyId,
    });
  }

  /** Membership of SCIM_ADMIN_GROUP (by id or displayName, direct) gives `admin`; else the role `roles` gave. */
  private roleOf(state: KeyState): string {
    const admin = this.adminGroup;
    return admin !== undefined && state.teams.some((t) => t.id === admin || t.displayName.toLowerCase() === admin)
      ? ADMIN_ROLE
      : state.userRole;
  }

  /** last_used_at is a hint for admins: written at most once a minute per key and process, never awaited. */
  private noteUse(state: KeyState): void {
    const last = this.lastTouch.get(state.id) ?? state.lastUsedAt?.getTime() ?? 0;
    if (Date.now() - last > TOUCH_INTERVAL_MS) {
      if (this.lastTouch.size >= CACHE_ENTRIES) {
        this.lastTouch.clear();
      }
      this.lastTouch.set(state.id, Date.now());
      this.keys
        .touch(state.id)
        .catch((e: unknown) => this.logger.warn({ keyId: state.id, err: (e as Error).message }, 'could not record key use'));
    }
  }
}
