/** RFC 7643 §2.2–2.4 and §7: attribute characteristics, as plain data. */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDef {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDef[];
  /** Not RFC 7643: a complex attribute without fixed sub-attributes whose JSON object is kept verbatim. */
  readonly freeForm?: boolean;
  /** Not RFC 7643: canonicalValues is a closed set, matched case-insensitively and stored in its canonical spelling. */
  readonly closedValues?: boolean;
}

export interface SchemaDef {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDef[];
}

type Options = Partial<Omit<AttributeDef, 'name' | 'type' | 'description' | 'subAttributes' | 'referenceTypes'>>;

const attribute = (name: string, type: AttributeType, description: string, o: Options): AttributeDef => ({
  name,
  type,
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...o,
});

export const str = (name: string, description: string, o: Options = {}) => attribute(name, 'string', description, o);
export const bool = (name: string, description: string, o: Options = {}) => attribute(name, 'boolean', description, o);
export const dateTime = (name: string, description: string, o: Options = {}) => attribute(name, 'dateTime', description, o);
// RFC 7643 §2.3.6 and §2.3.7: binary and reference values are case exact (base64 and URLs are case-sensitive), though
// the schema listing in §8.7.1 says caseExact false for photos, profileUrl and x509Certificates (errata 6001).
export const binary = (name: string, description: string, o: Options = {}) =>
  attribute(name, 'binary', description, { caseExact: true, ...o });
export const ref = (name: string, referenceTypes: readonly string[], description: string, o: Options = {}): AttributeDef => ({
  ...attribute(name, 'reference', description, { caseExact: true, ...o }),
  referenceTypes,
});
export const complex = (name: string, description: string, subAttributes: readonly AttributeDef[], o: Options = {}): AttributeDef => ({
  ...attribute(name, 'complex', description, o),
  subAttributes,
});

/** The value/display/type/primary shape shared by emails, phoneNumbers, ims, photos, entitlements, roles, x509Certificates (RFC 7643 §2.4). */
export const multiValuedComplex = (
  name: string,
  description: string,
  value: AttributeDef,
  types: readonly string[],
  extra: readonly AttributeDef[] = [],
): AttributeDef =>
  complex(
    name,
    description,
    [
      value,
      ...extra,
      str('display', 'A human-readable name, primarily used for display purposes.'),
      str('type', "A label indicating the attribute's function.", { canonicalValues: types }),
      bool('primary', "Whether this is the primary or preferred value; 'true' appears at most once."),
    ],
    { multiValued: true },
  );

export const schema = (id: string, name: string, description: string, attributes: readonly AttributeDef[]): SchemaDef => ({
  id,
  name,
  description,
  attributes,
});
