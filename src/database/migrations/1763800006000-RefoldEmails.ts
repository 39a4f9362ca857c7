import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `emails` column was lowered with JavaScript's toLowerCase, which maps a few capitals (such as the dotted İ) to
 * two code points where PostgreSQL's lower(), used on the filter side, gives one; those addresses could not be
 * found by `emails.value`. New writes fold like lower() (foldCase); this rebuilds the rows that can differ, the ones
 * with a non-ASCII email.
 */
export class RefoldEmails1763800006000 implements MigrationInterface {
  name = 'RefoldEmails1763800006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE users u SET emails = ARRAY(
        SELECT DISTINCT lower(e->>'value') FROM jsonb_array_elements(u.data->'emails') e WHERE jsonb_typeof(e->'value') = 'string')
      WHERE jsonb_typeof(u.data->'emails') = 'array' AND (u.data->'emails')::text ~ '[^[:ascii:]]'`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the folded values are what the previous code should have stored.
  }
}
