import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users: indexed columns for what IdPs filter and sort by and for uniqueness; the full canonical SCIM
 * representation (minus id, meta, groups, password) in `data`.
 */
export class CreateUsers1763800001000 implements MigrationInterface {
  name = 'CreateUsers1763800001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_name text NOT NULL,
        external_id text,
        display_name text,
        active boolean NOT NULL DEFAULT true,
        primary_email text,
        emails text[] NOT NULL DEFAULT '{}',
        role text NOT NULL,
        data jsonb NOT NULL,
        password_hash text,
        created timestamptz NOT NULL DEFAULT now(),
        last_modified timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    // userName is unique case-insensitively (RFC 7643 §4.1.1 caseExact false); the database enforces it under concurrency.
    await q.query(`CREATE UNIQUE INDEX users_user_name_key ON users (lower(user_name))`);
    await q.query(`CREATE INDEX users_external_id_idx ON users (external_id)`);
    await q.query(`CREATE INDEX users_display_name_idx ON users (lower(display_name))`);
    await q.query(`CREATE INDEX users_emails_idx ON users USING gin (emails)`);
    // Deactivated users are few; a partial index finds them without indexing the common case.
    await q.query(`CREATE INDEX users_inactive_idx ON users (id) WHERE NOT active`);
    // (created, id) is also the stable list order.
    await q.query(`CREATE INDEX users_created_idx ON users (created, id)`);
    await q.query(`CREATE INDEX users_last_modified_idx ON users (last_modified)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE users`);
  }
}
