import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Groups (teams) and their memberships. A membership is one row, so adding or removing a member never rewrites a
 * list. A member is a user or a nested group: two nullable foreign keys (exactly one set) let PostgreSQL cascade
 * the row away when either side is deleted, inside the deleting transaction; `member_id` is whichever is set.
 */
export class CreateGroups1763800002000 implements MigrationInterface {
  name = 'CreateGroups1763800002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name text NOT NULL,
        external_id text,
        data jsonb NOT NULL,
        created timestamptz NOT NULL DEFAULT now(),
        last_modified timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX groups_display_name_idx ON groups (lower(display_name))`);
    await q.query(`CREATE INDEX groups_external_id_idx ON groups (external_id)`);
    await q.query(`CREATE INDEX groups_created_idx ON groups (created, id)`);
    await q.query(`CREATE INDEX groups_last_modified_idx ON groups (last_modified)`);
    await q.query(`
      CREATE TABLE group_members (
        group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        child_group_id uuid REFERENCES groups (id) ON DELETE CASCADE,
        member_id uuid NOT NULL GENERATED ALWAYS AS (coalesce(user_id, child_group_id)) STORED,
        CONSTRAINT group_members_one_member CHECK (num_nonnulls(user_id, child_group_id) = 1)
      )`);
    // (group_id, member_id): membership checks, idempotent adds (ON CONFLICT) and keyset paging of a team's members.
    await q.query(`CREATE UNIQUE INDEX group_members_pkey ON group_members (group_id, member_id)`);
    // The other direction: a user's teams, and the cascades from users and nested groups.
    await q.query(`CREATE INDEX group_members_user_idx ON group_members (user_id) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE INDEX group_members_child_idx ON group_members (child_group_id) WHERE child_group_id IS NOT NULL`);
    // Every membership change bumps its teams' version and lastModified, whatever caused it (PATCH, PUT, or a user
    // or nested group being deleted): once per statement, from the transition table, never once per row.
    await q.query(`
      CREATE FUNCTION group_members_touch_groups() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE groups SET version = version + 1, last_modified = now() WHERE id IN (SELECT DISTINCT group_id FROM changed);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER group_members_added AFTER INSERT ON group_members REFERENCING NEW TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION group_members_touch_groups()`);
    await q.query(`CREATE TRIGGER group_members_removed AFTER DELETE ON group_members REFERENCING OLD TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION group_members_touch_groups()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE group_members`);
    await q.query(`DROP FUNCTION group_members_touch_groups()`);
    await q.query(`DROP TABLE groups`);
  }
}
