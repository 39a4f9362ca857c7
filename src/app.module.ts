import { DynamicModule, Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { json } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { AppConfigModule } from './config/config.module';
import { APP_CONFIG, type AppConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { HealthModule } from './health/health.module';
import { loggerParams } from './http/logging';
import { UsersModule } from './users/users.module';
import { GroupsModule } from './groups/groups.module';
import { JSON_TYPES, scimContentType } from './http/scim-content-type';

@Module({})
export class AppModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        DatabaseModule.forRoot(config, databaseUrl),
        AuthModule,
        DiscoveryModule,
        UsersModule,
        GroupsModule,
        HealthModule,
      ],
    };
  }

  // Registered as Nest middleware (after the request logger) so that a 400/413/415 from parsing is logged with its request id.
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(scimContentType, json({ type: JSON_TYPES, limit: this.config.bodyLimit })).forRoutes('*');
  }
}
