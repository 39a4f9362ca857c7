import { AttributeDef, SchemaDef } from './attribute';
import { commonAttributes } from './common.schema';
import { groupSchema, teamExtensionSchema } from './group.schema';
import { enterpriseUserSchema, userSchema, userSettingsSchema } from './user.schema';

/** RFC 7643 §6: a resource type, with the data that /ResourceTypes and /Schemas render. */
export interface ResourceType {
  readonly id: 'User' | 'Group';
  readonly name: string;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: SchemaDef;
  readonly schemaExtensions: readonly {
    readonly schema: SchemaDef;
    readonly required: boolean;
    /** Not RFC 7643: our settings extensions, which a PUT that omits them keeps rather than removes. */
    readonly keptOnReplace?: boolean;
  }[];
}

export const userResourceType: ResourceType = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: userSchema,
  schemaExtensions: [
    { schema: enterpriseUserSchema, required: false },
    { schema: userSettingsSchema, required: false, keptOnReplace: true },
  ],
};

export const groupResourceType: ResourceType = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: groupSchema,
  schemaExtensions: [{ schema: teamExtensionSchema, required: false, keptOnReplace: true }],
};

export const resourceTypes: readonly ResourceType[] = [userResourceType, groupResourceType];
export const allSchemas: readonly SchemaDef[] = resourceTypes.flatMap((rt) => [rt.schema, ...rt.schemaExtensions.map((e) => e.schema)]);

export type ResourceTypeRef = ResourceType | ResourceType['id'];
export const resourceType = (ref: ResourceTypeRef): ResourceType =>
  typeof ref === 'string' ? (ref === 'User' ? userResourceType : groupResourceType) : ref;

/** Attribute names and URNs are case-insensitive (RFC 7643 §2.1, RFC 7644 §3.10); this is the only place that folds case. */
export const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
export const findByName = (defs: readonly AttributeDef[] | undefined, name: string): AttributeDef | undefined =>
  defs?.find((d) => sameName(d.name, name));

export const findExtension = (rt: ResourceType, urn: string): SchemaDef | undefined =>
  rt.schemaExtensions.find((e) => sameName(e.schema.id, urn))?.schema;

/** Attributes addressable without a URN prefix (or with the core URN): the common ones plus the core schema's. */
export const attributesOf = (rt: ResourceType, s: SchemaDef): readonly AttributeDef[] =>
  s === rt.schema ? [...commonAttributes, ...s.attributes] : s.attributes;

/** A resolved attribute path: `path` is canonical (`name.familyName`, `urn:…:enterprise:2.0:User:manager.value`). */
export interface ResolvedPath {
  readonly schema: SchemaDef;
  /** True when the attribute lives under the extension's URN key in the resource. */
  readonly extension: boolean;
  readonly attribute: AttributeDef;
  readonly sub?: AttributeDef;
  readonly path: string;
}

export const canonicalPath = (schemaDef: SchemaDef, extension: boolean, attribute: AttributeDef, sub?: AttributeDef): string =>
  `${extension ? `${schemaDef.id}:` : ''}${attribute.name}${sub ? `.${sub.name}` : ''}`;

/** RFC 7644 §3.10 attribute notation: `[URN ":"] attrName ["." subAttr]`; undefined when nothing matches. */
export function resolvePath(ref: ResourceTypeRef, text: string): ResolvedPath | undefined {
  const rt = resourceType(ref);
  const owner = [rt.schema, ...rt.schemaExtensions.map((e) => e.schema)].find((s) =>
    text.toLowerCase().startsWith(`${s.id.toLowerCase()}:`),
  );
  if (!owner && text.includes(':')) {
    return undefined;
  }
  const schemaDef = owner ?? rt.schema;
  const [attrName, subName, ...rest] = (owner ? text.slice(owner.id.length + 1) : text).split('.');
  const attribute = findByName(attributesOf(rt, schemaDef), attrName ?? '');
  if (!attribute || rest.length > 0) {
    return undefined;
  }
  const sub = subName === undefined ? undefined : findByName(attribute.subAttributes, subName);
  if (subName !== undefined && !sub) {
    return undefined;
  }
  const extension = schemaDef !== rt.schema;
  return { schema: schemaDef, extension, attribute, sub, path: canonicalPath(schemaDef, extension, attribute, sub) };
}

export const isCoreUrn = (rt: ResourceType, urn: unknown): boolean => typeof urn === 'string' && sameName(urn, rt.schema.id);

/**
 * A PATCH path inside a schema this resource type does not have (`urn:…:CustomExtension:2.0:User:costCode`): such
 * operations are ignored like unknown keys in a body, instead of failing the whole request.
 */
export const isForeignSchemaPath = (rt: ResourceType, text: string): boolean =>
  /^urn:/i.test(text) &&
  ![rt.schema, ...rt.schemaExtensions.map((e) => e.schema)].some(
    (s) => text.toLowerCase().startsWith(`${s.id.toLowerCase()}:`) || sameName(text, s.id),
  );
