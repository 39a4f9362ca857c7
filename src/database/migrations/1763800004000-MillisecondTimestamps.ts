import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `meta.created` and `meta.lastModified` go out as ISO strings with milliseconds, and clients filter with the values
 * they were shown (`meta.lastModified gt "…"` for incremental sync). With microseconds stored, `eq` never matched
 * and `gt` returned the row itself again. Columns of precision 3 store exactly what clients see.
 */
export class MillisecondTimestamps1763800004000 implements MigrationInterface {
  name = 'MillisecondTimestamps1763800004000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['users', 'groups']) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN created TYPE timestamptz(3), ALTER COLUMN last_modified TYPE timestamptz(3)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['users', 'groups']) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN created TYPE timestamptz, ALTER COLUMN last_modified TYPE timestamptz`);
    }
  }
}
