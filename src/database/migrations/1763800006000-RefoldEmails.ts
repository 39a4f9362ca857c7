import { MigrationInterface, QueryRunner } from 'typeorm';
import { foldCase } from '../../scim';

/**
 * The `emails` column (lower-cased addresses, for `emails.value` filters) was lowered with JavaScript's toLowerCase,
 * which maps a few capitals (such as the dotted İ) to two code points where the filter side folds to one. Writes and
 * filters now both use foldCase; this rebuilds the rows that can differ, those with a non-ASCII email, in JavaScript
 * so that the result does not depend on the database's locale.
 */
export class RefoldEmails1763800006000 implements MigrationInterface {
  name = 'RefoldEmails1763800006000';

  async up(q: QueryRunner): Promise<void> {
    const rows = (await q.query(
      `SELECT id, data->'emails' AS emails FROM users WHERE jsonb_typeof(data->'emails') = 'array' AND (data->'emails')::text ~ '[^[:ascii:]]'`,
    )) as { id: string; emails: { value?: unknown }[] }[];
    for (const { id, emails } of rows) {
      const folded = [...new Set(emails.flatMap((e) => (typeof e?.value === 'string' ? [foldCase(e.value)] : [])))];
      await q.query(`UPDATE users SET emails = $2 WHERE id = $1`, [id, folded]);
    }
  }

  async down(): Promise<void> {
    // Nothing to undo: the folded values are what the previous code should have stored.
  }
}
