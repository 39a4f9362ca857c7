import { MigrationInterface, QueryRunner } from 'typeorm';

/** Values the instances share, such as the key that signs list cursors (RFC 9865; made by the first instance that needs it). */
export class CreateSettings1763800011000 implements MigrationInterface {
  name = 'CreateSettings1763800011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE settings (name text PRIMARY KEY, value text NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE settings`);
  }
}
