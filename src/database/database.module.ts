import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/env';
import { ChangeFeed } from './change-feed';
import { dataSourceOptions } from './data-source-options';
import { ListSupport } from './list-support';
import { runMigrations } from './migrate';
import { usePreparedStatements } from './prepared';
import { Transactions } from './transaction';

/** TypeORM on the database the entry point opened (DATABASE_URL or the embedded server), after its pending migrations. */
@Module({})
export class DatabaseModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Database');

  constructor(private readonly dataSource: DataSource) {}

  static forRoot(config: AppConfig, url: string): DynamicModule {
    usePreparedStatements(config.databasePreparedStatements);
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            if (config.migrationsRun) {
              await runMigrations(config, url, (m) => new Logger('Database').log(m));
            }
            return { ...dataSourceOptions(config, url, true), retryAttempts: 0 };
          },
        }),
      ],
      providers: [Transactions, ChangeFeed, ListSupport],
      exports: [Transactions, ChangeFeed, ListSupport],
    };
  }

  /** userName uniqueness and case-insensitive filters rely on lower(), which a plain C locale applies to ASCII only. */
  async onApplicationBootstrap(): Promise<void> {
    const [row] = (await this.dataSource.query(`SELECT lower('ÄÉ') = 'äé' AS unicode`)) as { unicode: boolean }[];
    if (!row?.unicode) {
      this.logger.warn(
        "The database's locale lower-cases only ASCII letters, so userName uniqueness and case-insensitive filters treat 'É' and 'é' as different; use a database with a UTF-8 locale (README: Using your own PostgreSQL)",
      );
    }
  }
}
