import { MigrationInterface, QueryRunner } from 'typeorm';

/** Counters of rate-limiter-flexible's PostgreSQL store (failed authentications per client address), shared by instances. */
export class CreateRateLimits1763800009000 implements MigrationInterface {
  name = 'CreateRateLimits1763800009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rate_limits (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limits`);
  }
}
