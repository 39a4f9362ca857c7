import { ScimError } from './errors';
import { resourceType, ResourceTypeRef } from './schema/registry';

export interface Versioned {
  readonly id: string;
  readonly created: Date;
  readonly lastModified: Date;
  readonly version: number | string;
}

/** A weak entity tag from the resource version (RFC 7644 §3.14): it changes with every write. */
export const etagOf = (version: number | string): string => `W/"${version}"`;

export const locationOf = (ref: ResourceTypeRef, id: string, baseUrl: string): string => `${baseUrl}${resourceType(ref).endpoint}/${id}`;

/** RFC 7643 §3.1 `meta`. */
export const resourceMeta = (ref: ResourceTypeRef, row: Versioned, baseUrl: string) => ({
  resourceType: resourceType(ref).name,
  created: row.created.toISOString(),
  lastModified: row.lastModified.toISOString(),
  location: locationOf(ref, row.id, baseUrl),
  version: etagOf(row.version),
});

/** Weak comparison of an If-Match / If-None-Match header (RFC 9110 §13.1) with the current tag; `*` matches any. */
export function etagMatches(header: string, etag: string): boolean {
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
}

/** RFC 7644 §3.14: a write whose If-Match does not match the current version fails with 412. */
export function checkIfMatch(ifMatch: string | undefined, row: Versioned, what: string): void {
  if (ifMatch && !etagMatches(ifMatch, etagOf(row.version))) {
    throw ScimError.preconditionFailed(`${what} ${row.id} has changed (now ${etagOf(row.version)}); fetch it again and retry`);
  }
}
