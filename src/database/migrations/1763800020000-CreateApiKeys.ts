import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * User API keys, and the notifications that keep every instance's cache of key answers (introspection, forward auth)
 * exact within a second. A key belongs to a user and goes with it (ON DELETE CASCADE, as a safety net: the users
 * service deletes them itself to count them). Like SCIM tokens, only a hash and a short prefix are stored. `status`
 * is what an admin or deprovisioning set: active, suspended (the user was deactivated; reactivation restores it) or
 * revoked (final); expiry is read from expires_at.
 *
 * An answer depends on the key, its user's active, role and userName, the user's teams and their names, so a change to
 * any of them notifies channel `scim_changes` with its topic (ChangeFeed's Topic), when the transaction commits. The
 * row triggers fire only when a value that matters changed (a user PATCH of its title, or a key's last_used_at, does
 * not clear every cache); the membership triggers only when a user's membership came or went.
 */
export class CreateApiKeys1763800020000 implements MigrationInterface {
  name = 'CreateApiKeys1763800020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        status text NOT NULL DEFAULT 'active' CONSTRAINT api_keys_status_check CHECK (status IN ('active', 'suspended', 'revoked')),
        status_changed_at timestamptz,
        status_changed_by text
      )`);
    await q.query(`CREATE INDEX api_keys_prefix_idx ON api_keys (prefix)`);
    // A user's keys: listings, deprovisioning and the cascade.
    await q.query(`CREATE INDEX api_keys_user_idx ON api_keys (user_id, created_at)`);

    await q.query(`CREATE TRIGGER api_keys_changed AFTER UPDATE ON api_keys FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
        OR OLD.key_hash IS DISTINCT FROM NEW.key_hash OR OLD.user_id IS DISTINCT FROM NEW.user_id)
      EXECUTE FUNCTION notify_change('api_key')`);
    await q.query(`CREATE TRIGGER api_keys_deleted AFTER DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION notify_change('api_key')`);
    await q.query(`CREATE TRIGGER users_access_changed AFTER UPDATE ON users FOR EACH ROW
      WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.role IS DISTINCT FROM NEW.role OR OLD.user_name IS DISTINCT FROM NEW.user_name)
      EXECUTE FUNCTION notify_change('user')`);
    await q.query(`CREATE TRIGGER users_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_change('user')`);
    await q.query(`
      CREATE FUNCTION notify_user_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM changed WHERE user_id IS NOT NULL) THEN
          PERFORM pg_notify('scim_changes', 'membership');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER group_members_added_notify AFTER INSERT ON group_members REFERENCING NEW TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION notify_user_memberships()`);
    await q.query(`CREATE TRIGGER group_members_removed_notify AFTER DELETE ON group_members REFERENCING OLD TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION notify_user_memberships()`);
    await q.query(`CREATE TRIGGER groups_team_changed AFTER UPDATE OF display_name ON groups FOR EACH ROW
      WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)
      EXECUTE FUNCTION notify_change('team')`);
    await q.query(`CREATE TRIGGER groups_deleted AFTER DELETE ON groups FOR EACH ROW EXECUTE FUNCTION notify_change('team')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER groups_deleted ON groups`);
    await q.query(`DROP TRIGGER groups_team_changed ON groups`);
    await q.query(`DROP TRIGGER group_members_removed_notify ON group_members`);
    await q.query(`DROP TRIGGER group_members_added_notify ON group_members`);
    await q.query(`DROP FUNCTION notify_user_memberships()`);
    await q.query(`DROP TRIGGER users_deleted ON users`);
    await q.query(`DROP TRIGGER users_access_changed ON users`);
    await q.query(`DROP TABLE api_keys`);
  }
}
