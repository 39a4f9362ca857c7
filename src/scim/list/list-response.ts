import { URN } from '../urns';

export interface Page {
  /** 1-based, as echoed in the ListResponse. */
  readonly startIndex: number;
  readonly offset: number;
  readonly limit: number;
}

const intOr = (v: number | undefined, fallback: number) => (v === undefined || !Number.isFinite(v) ? fallback : Math.trunc(v));

/** RFC 7644 §3.4.2.4: startIndex below 1 is read as 1; a negative count as 0; count is capped at `max` (its default). */
export function toPage(q: { readonly startIndex?: number; readonly count?: number }, max: number): Page {
  // Capped so that OFFSET stays an exact integer PostgreSQL accepts; such a page is simply empty.
  const startIndex = Math.min(Math.max(1, intOr(q.startIndex, 1)), Number.MAX_SAFE_INTEGER);
  return { startIndex, offset: startIndex - 1, limit: Math.min(Math.max(0, intOr(q.count, max)), max) };
}

export interface ListResponse<T> {
  readonly schemas: readonly [typeof URN.ListResponse];
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
  readonly Resources: readonly T[];
}

/** RFC 7644 §3.4.2: `itemsPerPage` is the number of resources returned in this page. */
export const listResponse = <T>(resources: readonly T[], total: number, startIndex: number): ListResponse<T> => ({
  schemas: [URN.ListResponse],
  totalResults: total,
  startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});
