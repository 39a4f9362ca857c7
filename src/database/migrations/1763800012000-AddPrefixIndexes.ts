import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sw` filters (`userName sw "j"`, lookups by prefix) compile to `lower(x) LIKE 'prefix%'`, which a btree index serves
 * only in the C collation or with text_pattern_ops; these serve it, and `eq`, in any collation. They also hold the
 * column itself, the creation time and the id, so that counting the matches and ordering the page's ids are answered
 * from the index alone, without a visit to each matching row (thousands of random reads on a cold cache).
 */
export class AddPrefixIndexes1763800012000 implements MigrationInterface {
  name = 'AddPrefixIndexes1763800012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX users_user_name_prefix_idx ON users (lower(user_name) text_pattern_ops) INCLUDE (user_name, created, id)`);
    await q.query(
      `CREATE INDEX users_display_name_prefix_idx ON users (lower(display_name) text_pattern_ops) INCLUDE (display_name, created, id)`,
    );
    await q.query(
      `CREATE INDEX groups_display_name_prefix_idx ON groups (lower(display_name) text_pattern_ops) INCLUDE (display_name, created, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX groups_display_name_prefix_idx`);
    await q.query(`DROP INDEX users_display_name_prefix_idx`);
    await q.query(`DROP INDEX users_user_name_prefix_idx`);
  }
}
