import { ScimError } from '../errors';
import { checkJsonShape } from '../json-shape';
import { checkFreeFormSize } from '../limits';
import { applyOperation } from '../patch/apply-operation';
import { MemberRef, MembershipOptions, splitMembers } from '../patch/member-ops';
import { isObject, present, ScimResource } from './coerce';
import { attributesOf, canonicalPath, isCoreUrn, resourceType, ResourceType, ResourceTypeRef, sameName } from './registry';

/** Throws `fail` when a required, client-writable attribute is unassigned (RFC 7643 §2.2 "required"). */
export function assertRequired(rt: ResourceType, res: ScimResource, fail: (detail: string) => ScimError, context: string): void {
  for (const s of [rt.schema, ...rt.schemaExtensions.map((e) => e.schema).filter((s) => present(res[s.id]))]) {
    const container = s === rt.schema ? res : res[s.id];
    for (const a of attributesOf(rt, s)) {
      if (a.required && a.mutability !== 'readOnly' && !present(isObject(container) ? container[a.name] : undefined)) {
        throw fail(`Attribute '${canonicalPath(s, s !== rt.schema, a)}' is required ${context}`);
      }
    }
  }
}

/** Output `schemas`: the core URN plus exactly the extensions present; empty extension objects are dropped. */
export function withSchemas(rt: ResourceType, res: ScimResource): ScimResource {
  const present_ = rt.schemaExtensions.map((e) => e.schema.id).filter((id) => present(res[id]));
  const out: ScimResource = { schemas: [rt.schema.id, ...present_] };
  for (const [k, v] of Object.entries(res)) {
    if (k !== 'schemas' && (present_.includes(k) || !rt.schemaExtensions.some((e) => e.schema.id === k))) {
      out[k] = v;
    }
  }
  return out;
}

export interface ValidatedResource {
  /** Canonical: schema-cased keys, coerced values, readOnly attributes removed; `password` kept for the caller to hash. */
  readonly resource: ScimResource;
  /**
   * The memberships the body names, for the membership table: a Group's `members`, or a User's `groups` (with
   * `userGroups`). Undefined when the body has no such attribute, [] when it is null or empty.
   */
  readonly memberships?: readonly MemberRef[];
  /** Unknown attributes and extension URNs that were ignored, for the caller to log. */
  readonly dropped: readonly string[];
}

/** Some Entra tenants mark a Group with this legacy, attribute-less schema instead of the core URN (IDP-QUIRKS #11). */
const ENTRA_LEGACY_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

/**
 * Validates and canonicalises a POST (`create`) or PUT (`replace`) body. The body's `schemas` must list the core
 * URN; extension objects are accepted even when `schemas` omits their URN (IdPs do this). A PUT carries the whole
 * resource (RFC 7644 §3.5.1), so both modes check `required` the same way; immutable attributes would need the
 * stored resource, and none of our schemas has one outside Group members, which the caller replaces as a set.
 */
export function validateResource(
  ref: ResourceTypeRef,
  body: unknown,
  mode: 'create' | 'replace',
  options: MembershipOptions = {},
): ValidatedResource {
  const rt = resourceType(ref);
  // Done by the HTTP layer for every body already; here for callers that did not parse JSON text.
  checkJsonShape(body);
  if (!isObject(body)) {
    throw ScimError.invalidSyntax(`The ${rt.name} must be a JSON object`);
  }
  const schemas = Object.entries(body).find(([k]) => sameName(k, 'schemas'))?.[1];
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => isCoreUrn(rt, s) || (rt.id === 'Group' && typeof s === 'string' && sameName(s, ENTRA_LEGACY_GROUP)))
  ) {
    throw ScimError.invalidSyntax(`"schemas" must contain "${rt.schema.id}"`);
  }
  const res: ScimResource = {};
  const dropped: string[] = [];
  // Memberships are validated as PATCH validates them (each needs a `value`), and kept apart from the other
  // attributes: they are not stored in the resource, and the cap on values per attribute does not apply to them.
  const { members, rest } = splitMembers(rt, body, dropped, options);
  applyOperation(res, rt, { op: 'replace', value: rest }, dropped);
  assertRequired(rt, res, ScimError.invalidValue, `to ${mode} a ${rt.name}`);
  checkFreeFormSize(rt, res);
  return { resource: withSchemas(rt, res), dropped, ...(members !== undefined && { memberships: members }) };
}

/**
 * A PUT's resource with our settings extensions (team and user metadata) carried over from the stored one when the
 * body does not name them: an IdP that only knows the core schema (Okta renames by PUT) can then never wipe the
 * application's settings by omission. A body that names one replaces it, and `"<urn>": null` removes it.
 */
export function keepOmittedExtensions(ref: ResourceTypeRef, body: unknown, current: ScimResource, next: ScimResource): ScimResource {
  const rt = resourceType(ref);
  const named = isObject(body) ? Object.keys(body) : [];
  const kept = rt.schemaExtensions
    .filter((e) => e.keptOnReplace && current[e.schema.id] !== undefined && !named.some((k) => sameName(k, e.schema.id)))
    .map((e) => e.schema.id);
  if (kept.length === 0) {
    return next;
  }
  const schemas = [...(next.schemas as string[]).filter((u) => !kept.includes(u)), ...kept];
  return { ...next, schemas, ...Object.fromEntries(kept.map((urn) => [urn, current[urn]])) };
}
