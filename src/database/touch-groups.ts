import { EntityManager } from 'typeorm';

/**
 * Bumps the version and lastModified of the teams that have this member, because their `members[].display` changed
 * (the member was renamed). The rows are locked in id order first, so two such bumps over overlapping teams cannot
 * deadlock; NO KEY UPDATE lets concurrent membership inserts that reference a team (KEY SHARE) go on.
 */
export async function touchTeamsOfMember(tx: EntityManager, member: 'user_id' | 'child_group_id', id: string): Promise<void> {
  await tx.query(
    `UPDATE groups g SET version = g.version + 1, last_modified = now()
       FROM (SELECT id FROM groups WHERE id IN (SELECT group_id FROM group_members WHERE ${member} = $1) ORDER BY id FOR NO KEY UPDATE) t
      WHERE g.id = t.id`,
    [id],
  );
}
