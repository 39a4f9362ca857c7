import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A user's representation includes its `groups`, so joining or leaving a team is a change of the user: its version
 * (the ETag) and lastModified must move, or `If-None-Match` answers 304 with stale groups and a lastModified-based
 * sync misses the change. The membership trigger now bumps the affected users as well as the teams, once per
 * statement, whatever changed the rows (PATCH, PUT, a team deleted); renaming a team bumps its members in
 * GroupsRepository.
 */
export class MembershipTouchesUsers1763800005000 implements MigrationInterface {
  name = 'MembershipTouchesUsers1763800005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION group_members_touch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE groups SET version = version + 1, last_modified = now() WHERE id IN (SELECT group_id FROM changed);
        UPDATE users SET version = version + 1, last_modified = now() WHERE id IN (SELECT user_id FROM changed);
        RETURN NULL;
      END $$`);
    await this.retrigger(q, 'group_members_touch');
    await q.query(`DROP FUNCTION group_members_touch_groups()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION group_members_touch_groups() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE groups SET version = version + 1, last_modified = now() WHERE id IN (SELECT DISTINCT group_id FROM changed);
        RETURN NULL;
      END $$`);
    await this.retrigger(q, 'group_members_touch_groups');
    await q.query(`DROP FUNCTION group_members_touch()`);
  }

  private async retrigger(q: QueryRunner, fn: string) {
    await q.query(`DROP TRIGGER group_members_added ON group_members`);
    await q.query(`DROP TRIGGER group_members_removed ON group_members`);
    await q.query(`CREATE TRIGGER group_members_added AFTER INSERT ON group_members REFERENCING NEW TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    await q.query(`CREATE TRIGGER group_members_removed AFTER DELETE ON group_members REFERENCING OLD TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
  }
}
