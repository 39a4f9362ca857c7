import { URN } from '../urns';
import { AttributeDef, SchemaDef } from './attribute';
import { ResourceType } from './registry';

/** RFC 7643 §7: an attribute definition as /Schemas shows it: the definition without our own flags. */
export type AttributeRepresentation = Omit<AttributeDef, 'freeForm' | 'closedValues' | 'subAttributes'> & {
  /** Present on every complex attribute; empty for a free-form one (team metadata). */
  readonly subAttributes?: readonly AttributeRepresentation[];
};

export interface SchemaRepresentation {
  readonly schemas: readonly [typeof URN.Schema];
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeRepresentation[];
  readonly meta: { readonly resourceType: 'Schema'; readonly location: string };
}

export interface ResourceTypeRepresentation {
  readonly schemas: readonly [typeof URN.ResourceType];
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: string;
  readonly schemaExtensions: readonly { readonly schema: string; readonly required: boolean }[];
  readonly meta: { readonly resourceType: 'ResourceType'; readonly location: string };
}

/**
 * Canonical values that a deployment configures rather than the schema (the application roles a user may hold), by
 * fully qualified attribute path: `urn:ietf:params:scim:schemas:core:2.0:User:roles.value`. They replace the schema's
 * own canonicalValues for that attribute, so the schema data stays free of configuration.
 */
export type ConfiguredValues = Readonly<Record<string, readonly string[]>>;

/** Every RFC 7643 §7 characteristic of `def`, and none of our own flags (`freeForm`, `closedValues`). */
function renderAttribute(def: AttributeDef, path: string, configured: ConfiguredValues): AttributeRepresentation {
  const canonicalValues = configured[path] ?? def.canonicalValues;
  return {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description,
    required: def.required,
    caseExact: def.caseExact,
    ...(canonicalValues === undefined ? {} : { canonicalValues: [...canonicalValues] }),
    ...(def.referenceTypes === undefined ? {} : { referenceTypes: [...def.referenceTypes] }),
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
    ...(def.type === 'complex'
      ? { subAttributes: (def.subAttributes ?? []).map((sub) => renderAttribute(sub, `${path}.${sub.name}`, configured)) }
      : {}),
  };
}

/** RFC 7643 §7 and §8.7: a schema as /Schemas serves it, generated from the same data that validates resources. */
export const renderSchema = (schema: SchemaDef, baseUrl: string, configured: ConfiguredValues = {}): SchemaRepresentation => ({
  schemas: [URN.Schema],
  id: schema.id,
  name: schema.name,
  description: schema.description,
  attributes: schema.attributes.map((a) => renderAttribute(a, `${schema.id}:${a.name}`, configured)),
  meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
});

/** RFC 7643 §6 and §8.6: a resource type as /ResourceTypes serves it. */
export const renderResourceType = (rt: ResourceType, baseUrl: string): ResourceTypeRepresentation => ({
  schemas: [URN.ResourceType],
  id: rt.id,
  name: rt.name,
  endpoint: rt.endpoint,
  description: rt.description,
  schema: rt.schema.id,
  schemaExtensions: rt.schemaExtensions.map((e) => ({ schema: e.schema.id, required: e.required })),
  meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${rt.name}` },
});
