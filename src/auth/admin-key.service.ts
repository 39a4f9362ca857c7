import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { sha256 } from './secret';

/**
 * The admin API key: ADMIN_API_KEY, or in development a key generated once and kept in DATA_DIR/admin-key (0600); and
 * INTROSPECTION_SECRET, the narrower credential that may only introspect API keys.
 */
@Injectable()
export class AdminKeyService implements OnModuleInit {
  private readonly logger = new Logger(AdminKeyService.name);
  private keyDigest!: Buffer;
  private introspectionDigest?: Buffer;
  /** Where the key comes from, for the start-up message. */
  source = 'ADMIN_API_KEY';

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.keyDigest = sha256(this.config.adminApiKey ?? this.developmentKey());
    this.introspectionDigest = this.config.introspectionSecret === undefined ? undefined : sha256(this.config.introspectionSecret);
  }

  /** Constant-time: both sides are hashed to equal-length digests first. */
  matches(presented: string): boolean {
    return timingSafeEqual(sha256(presented), this.keyDigest);
  }

  /** Whether `presented` is INTROSPECTION_SECRET (when set); constant-time like `matches`. */
  matchesIntrospectionSecret(presented: string): boolean {
    return this.introspectionDigest !== undefined && timingSafeEqual(sha256(presented), this.introspectionDigest);
  }

  private developmentKey(): string {
    const file = join(this.config.dataDir, 'admin-key');
    this.source = file;
    if (!existsSync(file)) {
      mkdirSync(this.config.dataDir, { recursive: true, mode: 0o711 });
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
      this.logger.log({ file }, 'Generated a development admin API key (ADMIN_API_KEY is unset); it is in this file, readable only by you');
    } else {
      this.logger.log({ file }, 'Using the development admin API key kept in this file (ADMIN_API_KEY is unset)');
    }
    chmodSync(file, 0o600);
    return readFileSync(file, 'utf8').trim();
  }
}
