import { DataSourceOptions } from 'typeorm';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { AuditRecordEntity } from '../audit/audit-record.entity';
import { ScimTokenEntity } from '../auth/scim-token.entity';
import { AppConfig } from '../config/env';
import { GroupEntity } from '../groups/group.entity';
import { UserEntity } from '../users/user.entity';
import { CreateScimTokens1763800000000 } from './migrations/1763800000000-CreateScimTokens';
import { CreateUsers1763800001000 } from './migrations/1763800001000-CreateUsers';
import { CreateGroups1763800002000 } from './migrations/1763800002000-CreateGroups';
import { AddUserMemberDisplayIndex1763800003000 } from './migrations/1763800003000-AddUserMemberDisplayIndex';
import { RefoldEmails1763800006000 } from './migrations/1763800006000-RefoldEmails';
import { VersionTriggers1763800007000 } from './migrations/1763800007000-VersionTriggers';
import { NotifyTokenChanges1763800008000 } from './migrations/1763800008000-NotifyTokenChanges';
import { CreateRateLimits1763800009000 } from './migrations/1763800009000-CreateRateLimits';
import { CountRows1763800010000 } from './migrations/1763800010000-CountRows';
import { CreateSettings1763800011000 } from './migrations/1763800011000-CreateSettings';
import { AddPrefixIndexes1763800012000 } from './migrations/1763800012000-AddPrefixIndexes';
import { CreateApiKeys1763800020000 } from './migrations/1763800020000-CreateApiKeys';
import { CreateAuditLog1763800021000 } from './migrations/1763800021000-CreateAuditLog';

/**
 * The one set of TypeORM options, shared by the app, the CLI, the tests and ormconfig.ts (TypeORM CLI). The app's
 * connections (`serving`) carry the statement and pool timeouts that turn a stalled database into a 503; migrations
 * run without them, since an index build on a large table may rightly take minutes.
 */
export function dataSourceOptions(config: AppConfig, url: string, serving = false): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [ScimTokenEntity, UserEntity, GroupEntity, ApiKeyEntity, AuditRecordEntity],
    migrations: [
      CreateScimTokens1763800000000,
      CreateUsers1763800001000,
      CreateGroups1763800002000,
      AddUserMemberDisplayIndex1763800003000,
      RefoldEmails1763800006000,
      VersionTriggers1763800007000,
      NotifyTokenChanges1763800008000,
      CreateRateLimits1763800009000,
      CountRows1763800010000,
      CreateSettings1763800011000,
      AddPrefixIndexes1763800012000,
      CreateApiKeys1763800020000,
      CreateAuditLog1763800021000,
    ],
    migrationsTableName: 'migrations',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL ≥ 13; no CREATE EXTENSION rights are needed in production.
    uuidExtension: 'pgcrypto',
    extra: {
      max: config.databasePoolSize,
      application_name: 'scim-server',
      keepAlive: true,
      ...(serving && { statement_timeout: config.databaseStatementTimeoutMs, connectionTimeoutMillis: config.databaseAcquireTimeoutMs }),
    },
  };
}
