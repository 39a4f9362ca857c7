import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cross-instance cache invalidation (ChangeFeed): a change to a cached table notifies channel `scim_changes` with the
 * table's topic, once per statement, and the notification goes out when the transaction commits. SCIM tokens are
 * cached by the bearer check; a revocation (or any change that decides whether a token works) clears every
 * instance's cache.
 */
export class NotifyTokenChanges1763800008000 implements MigrationInterface {
  name = 'NotifyTokenChanges1763800008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('scim_changes', TG_ARGV[0]);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER scim_tokens_changed AFTER UPDATE OF name, token_hash, expires_at, revoked_at OR DELETE ON scim_tokens
      FOR EACH STATEMENT EXECUTE FUNCTION notify_change('scim_token')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER scim_tokens_changed ON scim_tokens`);
    await q.query(`DROP FUNCTION notify_change()`);
  }
}
