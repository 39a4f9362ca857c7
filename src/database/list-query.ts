import type { EntityManager } from 'typeorm';
import { CursorPosition, Paging, Sort } from '../scim';
import { FilterMapping, SqlFragment, valueExpression } from './filter-to-sql';
import { preparedQuery } from './prepared';

/** A table that lists resources: its name and alias, the columns a row selects, and how filters and sorts read it. */
export interface ListSource {
  readonly table: string;
  readonly alias: string;
  readonly columns: string;
  readonly mapping: FilterMapping;
}

/** One page of rows, the total, and the sort keys at its edges where a next or previous page exists (for cursors). */
export interface ListPage<T> {
  readonly rows: T[];
  readonly total: number;
  readonly nextKeys?: readonly unknown[];
  readonly previousKeys?: readonly unknown[];
}

interface OrderColumn {
  readonly sql: string;
  /** How a keyset value is cast back from the text it travels as. */
  readonly type: string;
  readonly descending: boolean;
}

/**
 * The order of a list: the sort key (lower-cased when the attribute is not caseExact), then the id, so ties break
 * stably. Rows without a sort value come last in either direction. Without sortBy, the creation order.
 */
function orderOf(source: ListSource, sort: Sort): OrderColumn[] {
  const a = source.alias;
  const id: OrderColumn = { sql: `${a}.id`, type: 'uuid', descending: sort.descending };
  const path = sort.path;
  if (!path || path.path === 'meta.resourceType') {
    return [{ sql: `${a}.created`, type: 'timestamptz', descending: sort.descending }, id];
  }
  if (path.path === 'id') {
    return [id];
  }
  const v = valueExpression(path, source.mapping, a);
  const key = v.type === 'text' && !(path.sub ?? path.attribute).caseExact ? `lower(${v.sql})` : v.sql;
  const keyed: OrderColumn = { sql: key, type: v.type, descending: sort.descending };
  return v.nullable ? [{ sql: `(${v.sql} IS NULL)`, type: 'boolean', descending: false }, keyed, id] : [keyed, id];
}

const orderBy = (cols: readonly OrderColumn[], reverse = false) =>
  cols.map((c) => `${c.sql} ${c.descending !== reverse ? 'DESC' : 'ASC'}`).join(', ');

/**
 * Rows after (or, reversed, before) the keyset `keys` in the order `cols`, lexicographically. When the leading key
 * cannot be NULL its bound comes first on its own (`k >= $1`), so an index on it serves the range.
 */
function keyset(cols: readonly OrderColumn[], keys: readonly unknown[], reverse: boolean, param: (v: unknown) => string): string {
  const placeholders = cols.map((c, i) => `${param(keys[i] ?? null)}::${c.type}`);
  const cmp = (c: OrderColumn) => (c.descending !== reverse ? '<' : '>');
  const after = (i: number): string => {
    const c = cols[i] as OrderColumn;
    const here = `${c.sql} ${cmp(c)} ${placeholders[i]}`;
    return i === cols.length - 1 ? here : `(${here} OR (${c.sql} IS NOT DISTINCT FROM ${placeholders[i]} AND ${after(i + 1)}))`;
  };
  const first = cols[0] as OrderColumn;
  const bound = first.type === 'boolean' || cols.length === 1 ? '' : `${first.sql} ${cmp(first)}= ${placeholders[0]} AND `;
  return `${bound}${after(0)}`;
}

/**
 * One page of a list, in two steps that stay flat at any size: the page's ids in order (through the order's index
 * where there is one), then only those rows with their columns; the total from the row counters when there is no
 * filter, from a count of the filter's matches otherwise, and not at all when the page shows it (a first page that is
 * not full). Cursor pages read one row more than they return, to know whether another page follows.
 */
export async function listPage<T>(
  m: EntityManager,
  source: ListSource,
  where: SqlFragment,
  sort: Sort,
  paging: Paging,
): Promise<ListPage<T>> {
  const cols = orderOf(source, sort);
  const params = [...where.params];
  const param = (v: unknown) => `$${params.push(v)}`;
  const position: CursorPosition | undefined = paging.kind === 'cursor' ? paging.position : undefined;
  const reverse = position?.backwards ?? false;
  const conditions = [where.sql, ...(position ? [keyset(cols, position.keys, reverse, param)] : [])].join(' AND ');
  const fetch = paging.kind === 'cursor' ? paging.limit + 1 : paging.limit;
  const limit = param(fetch);
  const offset = paging.kind === 'index' && paging.offset > 0 ? ` OFFSET ${param(paging.offset)}` : '';
  const a = source.alias;
  const keyColumns = cols.map((c, i) => `${c.sql} AS k${i}`).join(', ');
  const keyOut = cols.map((_, i) => `p.k${i}::text AS "_k${i}"`).join(', ');
  const rows =
    fetch === 0
      ? []
      : await preparedQuery<(T & Record<string, unknown>)[]>(
          m,
          `SELECT ${source.columns}, ${keyOut}
           FROM (SELECT ${a}.id AS page_id, ${keyColumns} FROM ${source.table} ${a} WHERE ${conditions} ORDER BY ${orderBy(cols, reverse)} LIMIT ${limit}${offset}) p
           JOIN ${source.table} ${a} ON ${a}.id = p.page_id
           ORDER BY ${cols.map((c, i) => `p.k${i} ${c.descending !== reverse ? 'DESC' : 'ASC'}`).join(', ')}`,
          params,
        );
  const more = paging.kind === 'cursor' && rows.length > paging.limit;
  const page = (more ? rows.slice(0, paging.limit) : rows).map((r) => {
    const keys = cols.map((_, i) => r[`_k${i}`]);
    cols.forEach((_, i) => delete r[`_k${i}`]);
    return { row: r as T, keys };
  });
  if (reverse) {
    page.reverse();
  }
  const firstPage = paging.kind === 'index' ? paging.offset === 0 : position === undefined;
  const complete = paging.kind === 'cursor' ? !more : rows.length < paging.limit;
  const total = firstPage && paging.limit > 0 && complete ? rows.length : await count(m, source, where);
  // Forward, the page has a next one when a row was left over and a previous one when it started after a cursor;
  // backward, the other way round.
  const hasNext = reverse ? true : more;
  const hasPrevious = reverse ? more : position !== undefined;
  return {
    rows: page.map((p) => p.row),
    total,
    ...(paging.kind === 'cursor' && hasNext && page.length > 0 && { nextKeys: page[page.length - 1]?.keys }),
    ...(paging.kind === 'cursor' && hasPrevious && page.length > 0 && { previousKeys: page[0]?.keys }),
  };
}

/** The number of rows a filter matches; without one, from the row counters (migration CountRows), not a scan. */
async function count(m: EntityManager, source: ListSource, where: SqlFragment): Promise<number> {
  const rows =
    where.sql === 'TRUE'
      ? await preparedQuery<{ n: string }[]>(m, `SELECT coalesce(sum(delta), 0) AS n FROM row_counts WHERE table_name = $1`, [source.table])
      : await preparedQuery<{ n: string }[]>(
          m,
          `SELECT count(*) AS n FROM ${source.table} ${source.alias} WHERE ${where.sql}`,
          where.params,
        );
  return Number(rows[0]?.n ?? 0);
}
