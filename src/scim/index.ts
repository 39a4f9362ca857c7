/** Public face of the SCIM protocol core: pure functions and readonly data, no framework. */
export { ScimError } from './errors';
export type { ScimErrorBody, ScimType } from './errors';
export { SCIM_CONTENT_TYPE, URN } from './urns';

export type { AttributeDef, AttributeType, Mutability, Returned, SchemaDef, Uniqueness } from './schema/attribute';
export { commonAttributes } from './schema/common.schema';
export { enterpriseUserSchema, userSchema } from './schema/user.schema';
export { groupSchema, teamExtensionSchema } from './schema/group.schema';
export {
  findExtension,
  groupResourceType,
  resolvePath,
  resourceType,
  resourceTypes,
  allSchemas,
  sameName,
  userResourceType,
} from './schema/registry';
export type { ResolvedPath, ResourceType, ResourceTypeRef } from './schema/registry';
export { isObject, jsonEqual } from './schema/coerce';
export type { ScimResource } from './schema/coerce';
export { validateResource } from './schema/validate-resource';
export type { ValidatedResource } from './schema/validate-resource';

export { assertNever, COMPARE_OPS } from './filter/ast';
export type { AttrPath, BoundFilter, CompareOp, Filter, FilterOf, Literal } from './filter/ast';
export { parseFilter } from './filter/parse-filter';
export { bindFilter } from './filter/bind-filter';
export { foldCase, matchesFilter } from './filter/matches-filter';

export { parsePatchRequest } from './patch/patch-request';
export type { PatchOperation, PatchOpName } from './patch/patch-request';
export { applyPatch } from './patch/apply-patch';
export type { PatchResult } from './patch/apply-patch';
export type { MemberOp, MemberRef } from './patch/member-ops';

export { isRequested, parseAttributeList, project } from './list/projection';
export type { ProjectionQuery } from './list/projection';
export { listResponse, toPage } from './list/list-response';
export type { ListResponse, Page } from './list/list-response';
export { checkIfMatch, etagMatches, etagOf, locationOf, resourceMeta } from './meta';
export type { Versioned } from './meta';
