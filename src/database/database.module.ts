import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/env';
import { dataSourceOptions } from './data-source-options';
import { usePreparedStatements } from './prepared';

/** TypeORM on the database the entry point opened (DATABASE_URL or the embedded server); runs pending migrations. */
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig, url: string): DynamicModule {
    usePreparedStatements(config.databasePreparedStatements);
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(config, url), migrationsRun: config.migrationsRun, retryAttempts: 0 })],
    };
  }
}
