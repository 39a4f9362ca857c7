import rfcAttributes from '../../../test/fixtures/rfc7643-8.7-attributes.json';
import { URN } from '../urns';
import { allSchemas, groupResourceType, sameName, userResourceType } from './registry';
import { AttributeRepresentation, renderResourceType, renderSchema, SchemaRepresentation } from './render';

const base = 'https://scim.example.com/scim/v2';
const rendered = (urn: string, configured = {}): SchemaRepresentation => {
  const schema = allSchemas.find((s) => s.id === urn);
  if (!schema) {
    throw new Error(`no schema ${urn}`);
  }
  return renderSchema(schema, base, configured);
};

/** The attribute at `path` (`emails.type`) of a rendered schema. */
const attributeAt = (schema: SchemaRepresentation, path: string): AttributeRepresentation | undefined => {
  const [name, sub] = path.split('.');
  const attribute = schema.attributes.find((a) => sameName(a.name, name ?? ''));
  return sub === undefined ? attribute : attribute?.subAttributes?.find((a) => sameName(a.name, sub));
};

const everyAttribute = (attributes: readonly AttributeRepresentation[]): AttributeRepresentation[] =>
  attributes.flatMap((a) => [a, ...everyAttribute(a.subAttributes ?? [])]);

describe(renderSchema.name, () => {
  it.each(rfcAttributes.map((a) => [`${allSchemas.find((s) => s.id === a.schema)?.name ?? a.schema} ${a.path}`, a] as const))(
    'gives %s the characteristics of RFC 7643 §8.7',
    (_name, { schema, path, characteristics }) => {
      expect(attributeAt(rendered(schema), path)).toMatchObject(characteristics);
    },
  );

  it.each(allSchemas.map((s) => [s.id, s] as const))('renders every characteristic of every attribute of %s', (_id, schema) => {
    const out = renderSchema(schema, base);
    expect(out).toMatchObject({
      schemas: [URN.Schema],
      id: schema.id,
      name: schema.name,
      description: schema.description,
      meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
    });
    for (const a of everyAttribute(out.attributes)) {
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining([
          'name',
          'type',
          'multiValued',
          'description',
          'required',
          'caseExact',
          'mutability',
          'returned',
          'uniqueness',
        ]),
      );
      expect(a).not.toHaveProperty('freeForm');
      expect(a).not.toHaveProperty('closedValues');
      expect(a.subAttributes !== undefined).toBe(a.type === 'complex');
      expect(a.referenceTypes !== undefined).toBe(a.type === 'reference');
    }
  });

  it('renders a free-form complex attribute with an empty subAttributes list', () => {
    expect(attributeAt(rendered(URN.TeamExtension), 'metadata')).toMatchObject({ type: 'complex', multiValued: false, subAttributes: [] });
  });

  it('takes configured canonical values by fully qualified path, leaving the others', () => {
    const user = rendered(URN.User, { [`${URN.User}:roles.value`]: ['admin', 'editor'] });
    expect(attributeAt(user, 'roles.value')).toMatchObject({ type: 'string', canonicalValues: ['admin', 'editor'] });
    expect(attributeAt(user, 'emails.type')?.canonicalValues).toEqual(['work', 'home', 'other']);
    expect(attributeAt(rendered(URN.User), 'roles.value')).not.toHaveProperty('canonicalValues');
  });

  it('serves the schemas of both resource types with their extensions', () => {
    expect(allSchemas.map((s) => s.id)).toEqual([URN.User, URN.EnterpriseUser, URN.UserExtension, URN.Group, URN.TeamExtension]);
  });
});

describe(renderResourceType.name, () => {
  it.each([
    [
      'User',
      userResourceType,
      {
        schemas: [URN.ResourceType],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: URN.User,
        schemaExtensions: [
          { schema: URN.EnterpriseUser, required: false },
          { schema: URN.UserExtension, required: false },
        ],
        meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
      },
    ],
    [
      'Group',
      groupResourceType,
      {
        schemas: [URN.ResourceType],
        id: 'Group',
        name: 'Group',
        endpoint: '/Groups',
        description: 'Group',
        schema: URN.Group,
        schemaExtensions: [{ schema: URN.TeamExtension, required: false }],
        meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
      },
    ],
  ] as const)('renders %s as RFC 7643 §8.6 shows it', (_name, rt, expected) => {
    expect(renderResourceType(rt, base)).toEqual(expected);
  });
});
