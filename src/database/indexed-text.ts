import { ScimError } from '../scim';

/** Indexed strings are capped well below PostgreSQL's btree entry limit (about 2.7 kB), so they fail clearly. */
export const MAX_INDEXED_BYTES = 1024;

/** The value, or a 400 invalidValue naming the attribute when it is too long to index. */
export function indexable<T extends string | null>(attribute: string, value: T): T {
  if (value !== null && Buffer.byteLength(value) > MAX_INDEXED_BYTES) {
    throw ScimError.invalidValue(`Attribute '${attribute}' is longer than ${MAX_INDEXED_BYTES} bytes`);
  }
  return value;
}
