import { ScimError } from '../errors';
import { checkJsonShape } from '../json-shape';
import { checkFreeFormSize, checkMemberCount, checkOperationCount } from '../limits';
import { isObject, ScimResource } from '../schema/coerce';
import { isCoreUrn, resolvePath, resourceType, ResourceType, ResourceTypeRef } from '../schema/registry';
import { assertRequired, withSchemas } from '../schema/validate-resource';
import { applyOperation } from './apply-operation';
import { extractMemberOps, memberCount, MemberOp, MembershipOptions } from './member-ops';
import { parseOperation, PatchOperation } from './patch-request';

export interface PatchResult {
  readonly resource: ScimResource;
  /** Membership changes in request order: a Group's members, or a User's teams when they are writable. */
  readonly memberOps: readonly MemberOp[];
  /** Unknown attributes ignored in values, for the caller to log. */
  readonly dropped: readonly string[];
}

/**
 * A path that is the core schema URN names the core attributes, as an extension URN path names the extension's: its
 * value is applied as a no-path value. Done before members are extracted, so that `members` in it is a delta too.
 */
const corePathAsValue = (rt: ResourceType, op: PatchOperation): PatchOperation =>
  op.op !== 'remove' && op.path !== undefined && isCoreUrn(rt, op.path) ? { op: op.op, value: op.value } : op;

/**
 * A no-path value's keys that are value paths to known attributes (`emails[type eq "work"].value`) become operations
 * with that path, in key order, so they mean exactly what the path means. The other keys, unknown ones included,
 * stay together in no-path values; a malformed key with brackets is invalidPath like a malformed path.
 */
function valuePathsAsOps(rt: ResourceType, op: PatchOperation): PatchOperation[] {
  if (op.path !== undefined || op.op === 'remove' || !isObject(op.value)) {
    return [op];
  }
  const ops: PatchOperation[] = [];
  let plain: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(op.value)) {
    // Only a key whose part before `[` names a known attribute is a value path; other keys (an IdP's custom `tags[0]`)
    // stay no-path keys and are ignored as unknown, as before.
    const bracket = key.indexOf('[');
    if (bracket > 0 && resolvePath(rt, key.slice(0, bracket))) {
      ops.push({ op: op.op, path: key, value });
      plain = undefined;
    } else if (plain) {
      plain[key] = value;
    } else {
      plain = { [key]: value };
      ops.push({ op: op.op, value: plain });
    }
  }
  return ops;
}

/**
 * RFC 7644 §3.5.2 PATCH, pure and atomic: `resource` is never mutated, and the first failing operation throws
 * before anything is returned. `operations` is the `Operations` array (each one is validated here too; use
 * parsePatchRequest for the whole envelope). Removing a required attribute, or leaving it unassigned, is a 400
 * `mutability` (RFC 7644 §3.5.2.2). The caps of limits.ts apply: operations (413), members named (413), values per
 * multi-valued attribute after each write (400).
 */
export function applyPatch(
  resource: ScimResource,
  operations: readonly unknown[],
  ref: ResourceTypeRef,
  options: MembershipOptions = {},
): PatchResult {
  checkOperationCount(operations.length);
  // Done by the HTTP layer for every body already; here for callers that did not parse JSON text.
  checkJsonShape(operations);
  const rt = resourceType(ref);
  const ops = operations.map(parseOperation).flatMap((op) => valuePathsAsOps(rt, corePathAsValue(rt, op)));
  // Value-path keys of no-path values run as operations of their own, each over all values of its attribute.
  checkOperationCount(ops.length, 'operations, counting each value-path key of a no-path value as one');
  const res = structuredClone(resource);
  const memberOps: MemberOp[] = [];
  const dropped: string[] = [];
  let members = 0;
  for (const op of ops) {
    const { memberOps: found, rest } = extractMemberOps(rt, op, dropped, options);
    memberOps.push(...found);
    members += memberCount(found);
    checkMemberCount(members);
    if (rest) {
      applyOperation(res, rt, rest, dropped);
    }
  }
  assertRequired(rt, res, ScimError.mutability, 'and cannot be removed (RFC 7644 §3.5.2.2)');
  checkFreeFormSize(rt, res);
  return { resource: withSchemas(rt, res), memberOps, dropped };
}
