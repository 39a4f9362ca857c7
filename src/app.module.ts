import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BulkModule } from './bulk/bulk.module';
import { AppConfigModule } from './config/config.module';
import type { AppConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { GroupsModule } from './groups/groups.module';
import { HealthModule } from './health/health.module';
import { loggerParams } from './http/logging';
import { SearchModule } from './search/search.module';
import { StatsModule } from './stats/stats.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(logger)),
        DatabaseModule.forRoot(config, databaseUrl),
        AuditModule.forRoot({ retention: true }),
        AuthModule,
        ApiKeysModule,
        DiscoveryModule,
        UsersModule,
        GroupsModule,
        BulkModule,
        SearchModule,
        StatsModule,
        HealthModule,
      ],
    };
  }
}
