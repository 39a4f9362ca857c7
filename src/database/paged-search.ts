import type { EntityManager } from 'typeorm';
import type { Page } from '../scim';
import type { SqlFragment } from './filter-to-sql';
import { preparedQuery } from './prepared';

/** What a repository lists: `FROM` clause with alias, selected columns, and a stable order. */
export interface SearchSource {
  readonly from: string;
  readonly columns: string;
  readonly order: string;
}

/** One page in a stable order and the total, in one round trip when the page is not empty. */
export async function pagedSearch<T>(
  m: EntityManager,
  source: SearchSource,
  where: SqlFragment,
  page: Page,
): Promise<{ rows: T[]; total: number }> {
  const n = where.params.length;
  const count = async () =>
    Number(
      ((await m.query(`SELECT count(*) AS total FROM ${source.from} WHERE ${where.sql}`, where.params)) as { total: string }[])[0]?.total,
    );
  if (page.limit === 0) {
    return { rows: [], total: await count() };
  }
  // The first page (every IdP existence probe) has no OFFSET clause: with an OFFSET parameter PostgreSQL estimates
  // the generic plan dearer than a custom one and so plans the statement anew on every run.
  const offset = page.offset > 0 ? ` OFFSET $${n + 2}` : '';
  const rows = await preparedQuery<(T & { total: string })[]>(
    m,
    `SELECT ${source.columns}, count(*) OVER () AS total FROM ${source.from} WHERE ${where.sql} ORDER BY ${source.order} LIMIT $${n + 1}${offset}`,
    page.offset > 0 ? [...where.params, page.limit, page.offset] : [...where.params, page.limit],
  );
  const total = rows[0] ? Number(rows[0].total) : page.offset > 0 ? await count() : 0;
  return { rows: rows.map(({ total: _total, ...row }) => row as T), total };
}
