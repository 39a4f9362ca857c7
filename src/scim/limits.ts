import { ScimError } from './errors';
import { isObject, ScimResource } from './schema/coerce';
import { canonicalPath, ResourceType } from './schema/registry';

/*
 * Caps that keep every request's work bounded, so that no request can freeze the process for the others. Each one is
 * far above what identity providers send; a request over a cap fails as a whole, before anything is written.
 */

/** PATCH `Operations` per request. IdPs send a handful; 1,000 keeps a PATCH's work at operations × values ≤ 1M steps. */
export const MAX_OPERATIONS = 1000;

/** Members named by one request, summed over its member operations (Okta sends 256 per request, Entra fewer). */
export const MAX_MEMBERS_PER_REQUEST = 10_000;

/** Values of one multi-valued attribute (emails, roles, …) of a stored resource; Group members are a delta and exempt. */
export const MAX_VALUES = 1000;

/** Serialized size of a free-form settings object (team or user `metadata`): settings, not a document store. */
export const MAX_METADATA_BYTES = 64 * 1024;

/** Nesting of a JSON body (the body itself is level 1). SCIM needs about 8; the rest is free-form team metadata. */
export const MAX_JSON_DEPTH = 64;

/** 413 when a PATCH has more than MAX_OPERATIONS operations. */
export function checkOperationCount(count: number, what = 'operations'): void {
  if (count > MAX_OPERATIONS) {
    throw ScimError.payloadTooLarge(
      `A PATCH may have at most ${MAX_OPERATIONS} operations; this one has ${count} ${what}. Split it into several requests`,
    );
  }
}

/** 413 when one request names more than MAX_MEMBERS_PER_REQUEST members. */
export function checkMemberCount(count: number): void {
  if (count > MAX_MEMBERS_PER_REQUEST) {
    throw ScimError.payloadTooLarge(
      `A request may name at most ${MAX_MEMBERS_PER_REQUEST} members; this one names ${count}. Split it into several requests`,
    );
  }
}

/** 400 invalidValue when the multi-valued attribute at `path` would hold more than MAX_VALUES values. */
export function checkValueCount(path: string, count: number): void {
  if (count > MAX_VALUES) {
    throw ScimError.invalidValue(`Attribute '${path}' may hold at most ${MAX_VALUES} values; this request would leave it with ${count}`);
  }
}

/** 400 invalidValue when a free-form attribute of the resource (team or user metadata) is over MAX_METADATA_BYTES. */
export function checkFreeFormSize(rt: ResourceType, res: ScimResource): void {
  for (const { schema } of [{ schema: rt.schema }, ...rt.schemaExtensions]) {
    const container = schema === rt.schema ? res : res[schema.id];
    for (const a of schema.attributes.filter((x) => x.freeForm)) {
      const value = isObject(container) ? container[a.name] : undefined;
      const bytes = value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
      if (bytes > MAX_METADATA_BYTES) {
        throw ScimError.invalidValue(
          `Attribute '${canonicalPath(schema, schema !== rt.schema, a)}' may hold at most ${MAX_METADATA_BYTES} bytes of JSON; this request would leave it with ${bytes}`,
        );
      }
    }
  }
}
