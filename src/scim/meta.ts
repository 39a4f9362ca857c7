import { createHash } from 'node:crypto';
import { ScimError } from './errors';
import { resourceType, ResourceTypeRef } from './schema/registry';

export interface Versioned {
  readonly id: string;
  readonly created: Date;
  readonly lastModified: Date;
  readonly version: number | string;
}

/**
 * A resource's version (meta.version, the ETag): its row version, plus a digest of derived attributes that live in
 * other tables (a user's `groups`). Joining a team changes the user's representation without a write to its row, and
 * the digest moves the ETag with it (RFC 7644 §3.14), where bumping the row would rewrite 100,000 users for one large
 * team. The row versions themselves are bumped by the database on every write (migration VersionTriggers).
 */
export const resourceVersion = (rowVersion: number, derived: readonly unknown[] = []): number | string =>
  derived.length === 0
    ? rowVersion
    : `${rowVersion}.${createHash('sha1').update(JSON.stringify(derived)).digest('base64url').slice(0, 10)}`;

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
