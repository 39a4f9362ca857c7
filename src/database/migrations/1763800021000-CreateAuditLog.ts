import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: one row per provisioning write, admin action on tokens and keys, and Bulk operation; append-only
 * (retention deletes by age). Read newest first by (at, id), also for one resource.
 */
export class CreateAuditLog1763800021000 implements MigrationInterface {
  name = 'CreateAuditLog1763800021000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_type text NOT NULL,
        actor_id text,
        actor_name text,
        user_agent text,
        request_id text,
        method text NOT NULL,
        path text NOT NULL,
        resource_type text,
        resource_id text,
        status integer NOT NULL,
        scim_type text,
        summary jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at, id)`);
    await q.query(`CREATE INDEX audit_log_resource_idx ON audit_log (resource_id, at, id) WHERE resource_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
  }
}
