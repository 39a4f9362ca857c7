import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { ScimError } from '../scim';

const MINUTE = 60;
const MAX_BLOCKED = 100_000;
const retryAfter = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Rate limits, with rate-limiter-flexible:
 * - failed authentication per client address, counted in PostgreSQL (table rate_limits) so the limit holds across
 *   instances; an address over it is then refused from memory, so a flood of bad tokens costs no database lookups;
 * - SCIM requests per token, counted per instance (SCIM_REQUESTS_PER_MINUTE is each instance's share).
 */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger(RateLimits.name);
  private readonly failures?: RateLimiterPostgres;
  private readonly perToken?: RateLimiterMemory;
  /** Addresses over the failure limit, until when: refused without asking the database. */
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const failures = config.authFailuresPerMinute;
    if (failures > 0) {
      this.failures = new RateLimiterPostgres({
        storeClient: dataSource,
        storeType: 'typeorm',
        tableName: 'rate_limits',
        tableCreated: true, // migration CreateRateLimits
        clearExpiredByTimeout: true,
        keyPrefix: 'auth-failures',
        points: failures,
        duration: MINUTE,
      });
    }
    if (config.scimRequestsPerMinute > 0) {
      this.perToken = new RateLimiterMemory({ keyPrefix: 'scim', points: config.scimRequestsPerMinute, duration: MINUTE });
    }
  }

  /** The client's address: the socket's, or behind a trusted proxy (TRUST_PROXY) the last X-Forwarded-For hop. */
  addressOf(req: IncomingMessage): string {
    const forwarded = this.config.trustProxy ? req.headers['x-forwarded-for'] : undefined;
    const hops = typeof forwarded === 'string' ? forwarded.split(',').map((s) => s.trim()) : [];
    return hops[hops.length - 1] || req.socket.remoteAddress || 'unknown';
  }

  /** 429 while this address is over the failed-authentication limit (a check in memory). */
  assertNotBlocked(address: string): void {
    const until = this.blockedUntil.get(address);
    if (until !== undefined && until > Date.now()) {
      throw this.tooManyFailures(until - Date.now());
    }
    this.blockedUntil.delete(address);
  }

  /** Counts a failed authentication; 429 instead of the 401 once the address is over the limit. */
  async failed(address: string): Promise<void> {
    try {
      await this.failures?.consume(address);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        if (this.blockedUntil.size >= MAX_BLOCKED) {
          this.blockedUntil.clear(); // a spray from very many addresses: forget, the database still counts them
        }
        this.blockedUntil.set(address, Date.now() + e.msBeforeNext);
        throw this.tooManyFailures(e.msBeforeNext);
      }
      // The count is a defence, not a dependency: the request still gets its 401.
      this.logger.warn({ err: { message: (e as Error).message } }, 'could not count a failed authentication');
    }
  }

  /**
   * Counts requests of this SCIM token (a Bulk request counts each operation); 429 when the token is over
   * SCIM_REQUESTS_PER_MINUTE on this instance.
   */
  async scimRequest(tokenId: string, requests = 1): Promise<void> {
    try {
      await this.perToken?.consume(tokenId, requests);
    } catch (e) {
      if (requests > 1) {
        // A refused Bulk runs none of its operations, so they do not spend the budget.
        await this.perToken?.reward(tokenId, requests);
      }
      const ms = (e as RateLimiterRes).msBeforeNext;
      throw ScimError.tooManyRequests(
        `This SCIM token sent more than ${this.config.scimRequestsPerMinute} requests in a minute (SCIM_REQUESTS_PER_MINUTE); retry after the time in Retry-After`,
        retryAfter(ms),
      );
    }
  }

  private tooManyFailures(ms: number): ScimError {
    return ScimError.tooManyRequests(
      `Too many failed authentications from this address (AUTH_FAILURES_PER_MINUTE is ${this.config.authFailuresPerMinute}); retry after the time in Retry-After`,
      retryAfter(ms),
    );
  }
}
