import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every rule that moves a row's `version` (meta.version, the ETag) and `last_modified`, in one place, so no code path
 * can write a user or a team and forget it:
 * - any UPDATE of a users or groups row bumps its version and lastModified (code writes only when something changed);
 * - a membership change bumps its teams, once per statement (as before this migration);
 * - renaming a member (a user's displayName, or userName without one; a nested team's displayName) bumps the teams it
 *   is in, because their `members[].display` changed.
 * Teams are locked in id order before they are bumped, so two bumps over overlapping teams cannot deadlock; NO KEY
 * UPDATE lets concurrent membership inserts that reference a team (KEY SHARE) go on. A user's ETag also follows its
 * `groups` without a write to its row: see resourceVersion in src/scim/meta.ts.
 */
export class VersionTriggers1763800007000 implements MigrationInterface {
  name = 'VersionTriggers1763800007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        NEW.last_modified := now();
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER users_bump_version BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION bump_version()`);
    await q.query(`CREATE TRIGGER groups_bump_version BEFORE UPDATE ON groups FOR EACH ROW EXECUTE FUNCTION bump_version()`);
    await q.query(`
      CREATE FUNCTION touch_groups(ids uuid[]) RETURNS void LANGUAGE sql AS $$
        UPDATE groups g SET last_modified = now()
          FROM (SELECT id FROM groups WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE) t
         WHERE g.id = t.id
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION group_members_touch_groups() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM touch_groups(ARRAY(SELECT DISTINCT group_id FROM changed));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION member_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Through the index of each direction (user_id or child_group_id), never a scan of the memberships.
        IF TG_TABLE_NAME = 'users' THEN
          PERFORM touch_groups(ARRAY(SELECT group_id FROM group_members WHERE user_id = NEW.id));
        ELSE
          PERFORM touch_groups(ARRAY(SELECT group_id FROM group_members WHERE child_group_id = NEW.id));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER users_renamed AFTER UPDATE OF display_name, user_name ON users FOR EACH ROW
      WHEN (coalesce(OLD.display_name, OLD.user_name) IS DISTINCT FROM coalesce(NEW.display_name, NEW.user_name))
      EXECUTE FUNCTION member_renamed()`);
    await q.query(`CREATE TRIGGER groups_renamed AFTER UPDATE OF display_name ON groups FOR EACH ROW
      WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)
      EXECUTE FUNCTION member_renamed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER groups_renamed ON groups`);
    await q.query(`DROP TRIGGER users_renamed ON users`);
    await q.query(`DROP FUNCTION member_renamed()`);
    // The statement trigger of CreateGroups, as it was.
    await q.query(`
      CREATE OR REPLACE FUNCTION group_members_touch_groups() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE groups SET version = version + 1, last_modified = now() WHERE id IN (SELECT DISTINCT group_id FROM changed);
        RETURN NULL;
      END $$`);
    await q.query(`DROP FUNCTION touch_groups(uuid[])`);
    await q.query(`DROP TRIGGER groups_bump_version ON groups`);
    await q.query(`DROP TRIGGER users_bump_version ON users`);
    await q.query(`DROP FUNCTION bump_version()`);
  }
}
