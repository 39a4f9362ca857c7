import { ScimError } from '../errors';
import { URN } from '../urns';
import type { CursorPosition } from './cursor';
import type { Sort } from './sort';

/** The paging parameters of a list request (query string or SearchRequest body). */
export interface ListParams {
  readonly startIndex?: number;
  readonly count?: number;
  /** RFC 9865: present (even empty: the first page) asks for cursor paging. */
  readonly cursor?: string;
}

/** How a list request pages: by index (RFC 7644 §3.4.2.4), the default, or by cursor (RFC 9865). */
export type Paging =
  | { readonly kind: 'index'; readonly startIndex: number; readonly offset: number; readonly limit: number }
  | { readonly kind: 'cursor'; readonly limit: number; readonly position?: CursorPosition };

const intOr = (v: number | undefined, fallback: number) => (v === undefined || !Number.isFinite(v) ? fallback : Math.trunc(v));

/**
 * The paging a request asks for. Index: startIndex below 1 is read as 1, a negative count as 0, count capped at `max`
 * (its default). Cursor: count must be positive (RFC 9865 invalidCount) and is capped at `max`; the cursor is decoded
 * by `decode` (signed, tied to the query, expiring).
 */
export function toPaging(q: ListParams, max: number, decode: (cursor: string) => CursorPosition): Paging {
  if (q.cursor === undefined) {
    // Capped so that OFFSET stays an exact integer PostgreSQL accepts; such a page is simply empty.
    const startIndex = Math.min(Math.max(1, intOr(q.startIndex, 1)), Number.MAX_SAFE_INTEGER);
    return { kind: 'index', startIndex, offset: startIndex - 1, limit: Math.min(Math.max(0, intOr(q.count, max)), max) };
  }
  if (q.startIndex !== undefined) {
    throw ScimError.invalidValue('Use either startIndex (index paging) or cursor (cursor paging), not both');
  }
  const count = intOr(q.count, max);
  if (count < 1) {
    throw ScimError.invalidCount(`With cursor paging, count must be from 1 to ${max}; got ${q.count}`);
  }
  return { kind: 'cursor', limit: Math.min(count, max), position: q.cursor === '' ? undefined : decode(q.cursor) };
}

/** What a cursor is tied to: the resource type, the filter and the sort (RFC 9865: only the cursor may change between pages). */
export const queryFingerprint = (resourceType: string, filter: string | undefined, sort: Sort): string =>
  JSON.stringify([resourceType, filter?.trim() ?? '', sort.path?.path ?? '', sort.descending]);

export interface ListResponse<T> {
  readonly schemas: readonly [typeof URN.ListResponse];
  readonly totalResults: number;
  readonly startIndex?: number;
  readonly itemsPerPage: number;
  readonly nextCursor?: string;
  readonly previousCursor?: string;
  readonly Resources: readonly T[];
}

/** Where a page sits: its startIndex (index paging) or the cursors around it (RFC 9865; none past the last page). */
export type PagePosition = { readonly startIndex: number } | { readonly nextCursor?: string; readonly previousCursor?: string };

/** RFC 7644 §3.4.2: `itemsPerPage` is the number of resources returned in this page. */
export const listResponse = <T>(resources: readonly T[], total: number, position: PagePosition): ListResponse<T> => {
  const { startIndex, nextCursor, previousCursor } = position as { startIndex?: number; nextCursor?: string; previousCursor?: string };
  return {
    schemas: [URN.ListResponse],
    totalResults: total,
    ...(startIndex !== undefined && { startIndex }),
    itemsPerPage: resources.length,
    ...(nextCursor !== undefined && { nextCursor }),
    ...(previousCursor !== undefined && { previousCursor }),
    Resources: resources,
  };
};
