import add from '../../../test/fixtures/rfc7644-3.5.2.1-add.json';
import remove from '../../../test/fixtures/rfc7644-3.5.2.2-remove.json';
import replace from '../../../test/fixtures/rfc7644-3.5.2.3-replace.json';
import { scimErrorOf } from '../../../test/support/scim-error-of';
import { multiValuedComplex, schema, str } from '../schema/attribute';
import { ScimResource } from '../schema/coerce';
import { ResourceType, userResourceType } from '../schema/registry';
import { URN } from '../urns';
import { applyPatch } from './apply-patch';
import { parsePatchRequest } from './patch-request';

interface Case {
  name: string;
  resourceType: string;
  resource: ScimResource;
  request: unknown;
  after?: ScimResource;
  memberOps?: unknown[];
  error?: { status: number; scimType: string };
}

const run = (c: Case) => applyPatch(c.resource, parsePatchRequest(c.request), c.resourceType as 'User' | 'Group');

describe.each<[string, Case[]]>([
  ['RFC 7644 §3.5.2.1 add', add as Case[]],
  ['RFC 7644 §3.5.2.2 remove', remove as Case[]],
  ['RFC 7644 §3.5.2.3 replace', replace as Case[]],
])('%s', (_section, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = structuredClone(c.resource);
    if (c.error) {
      expect(scimErrorOf(() => run(c))).toMatchObject(c.error);
    } else {
      const result = run(c);
      expect(result.resource).toEqual(c.after);
      expect(result.memberOps).toEqual(c.memberOps ?? []);
    }
    expect(c.resource).toEqual(before);
  });
});

const user = (o: ScimResource = {}): ScimResource => ({
  schemas: [URN.User],
  id: 'u1',
  userName: 'bjensen',
  active: true,
  emails: [{ value: 'b@example.com', type: 'home' }],
  ...o,
});
const patchUser = (resource: ScimResource, ...ops: unknown[]) => applyPatch(resource, ops, 'User');
const patchGroup = (...ops: unknown[]) => applyPatch({ schemas: [URN.Group], id: 'g1', displayName: 'Team' }, ops, 'Group');
const ent = URN.EnterpriseUser;

describe('IdP dialects (IDP-QUIRKS.md)', () => {
  it.each<[string, unknown[], ScimResource]>([
    ['Entra capitalised op and "False" string', [{ op: 'Replace', path: 'active', value: 'False' }], user({ active: false })],
    ['Entra "True" string in a no-path value', [{ op: 'Replace', value: { active: 'True' } }], user()],
    ['Okta no-path replace of active', [{ op: 'replace', value: { active: false } }], user({ active: false })],
    [
      'Entra manager as a bare string',
      [{ op: 'Add', path: `${ent}:manager`, value: 'm-1' }],
      user({ schemas: [URN.User, ent], [ent]: { manager: { value: 'm-1' } } }),
    ],
    [
      'Entra replace emails[type eq "work"].value creates the work email',
      [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'w@example.com' }],
      user({
        emails: [
          { value: 'b@example.com', type: 'home' },
          { type: 'work', value: 'w@example.com' },
        ],
      }),
    ],
    [
      'replace emails[type eq "home"].value updates the matching email',
      [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'h@example.com' }],
      user({ emails: [{ value: 'h@example.com', type: 'home' }] }),
    ],
    [
      'Entra [primary eq "true"] string in a path filter',
      [
        { op: 'add', path: 'emails', value: [{ value: 'p@example.com', type: 'work', primary: 'true' }] },
        { op: 'replace', path: 'emails[primary eq "true"].type', value: 'other' },
      ],
      user({
        emails: [
          { value: 'b@example.com', type: 'home' },
          { value: 'p@example.com', type: 'other', primary: true },
        ],
      }),
    ],
    [
      'Entra no-path replace with dotted and URN keys',
      [{ op: 'Replace', value: { 'name.givenName': 'Barbara', [`${ent}:department`]: 'Sales', 'urn:okta:custom:1.0:User:x': 1 } }],
      user({ schemas: [URN.User, ent], name: { givenName: 'Barbara' }, [ent]: { department: 'Sales' } }),
    ],
    [
      'no-path add with a nested extension object',
      [{ op: 'add', value: { [ent.toLowerCase()]: { Department: 'Ops', manager: { value: 'm', displayName: 'ignored' } } } }],
      user({ schemas: [URN.User, ent], [ent]: { department: 'Ops', manager: { value: 'm' } } }),
    ],
    [
      'addresses[type eq "work"].streetAddress on a user without addresses',
      [{ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' }],
      user({ addresses: [{ type: 'work', streetAddress: '1 Main St' }] }),
    ],
    [
      'remove with a value list removes just those values',
      [{ op: 'remove', path: 'emails', value: [{ value: 'b@example.com' }] }],
      user({ emails: undefined }),
    ],
    ['path is the extension URN itself', [{ op: 'remove', path: ent }], user()],
    ['an empty string unassigns', [{ op: 'replace', path: 'title', value: '' }], user()],
    [
      'an unquoted value in a path filter',
      [{ op: 'replace', path: 'emails[type eq home].value', value: 'h@example.com' }],
      user({ emails: [{ value: 'h@example.com', type: 'home' }] }),
    ],
  ])('%s', (_name, ops, expected) => {
    const { emails, ...rest } = expected;
    expect(patchUser(user(), ...ops).resource).toEqual(emails === undefined ? rest : expected);
  });

  it('removing the extension last attribute drops its URN from schemas', () => {
    const start = user({ schemas: [URN.User, ent], [ent]: { department: 'Sales' } });
    expect(patchUser(start, { op: 'remove', path: `${ent}:department` }).resource).toEqual(user());
  });

  it('reports unknown attributes of values as dropped', () => {
    expect(patchUser(user(), { op: 'replace', value: { foo: 1, name: { nick: 'x' } } }).dropped).toEqual(['foo', 'name.nick']);
  });

  it.each<[string, unknown, string]>([
    ['a value of the wrong type', { op: 'replace', path: 'active', value: 'yes' }, 'invalidValue'],
    [
      'two primaries in one value',
      {
        op: 'add',
        path: 'emails',
        value: [
          { value: 'a', primary: true },
          { value: 'b', primary: true },
        ],
      },
      'invalidValue',
    ],
    ['an unknown op', { op: 'merge', path: 'title', value: 'x' }, 'invalidSyntax'],
    ['a malformed path', { op: 'replace', path: 'emails[type eq', value: 'x' }, 'invalidPath'],
    ['a malformed filter on a single-valued attribute', { op: 'replace', path: 'name[givenName eq]', value: {} }, 'invalidPath'],
    ['a filter on a multi-valued simple attribute', { op: 'replace', path: 'schemas[value eq "x"]', value: 'y' }, 'invalidPath'],
    ['a filtered path with an unknown sub-attribute', { op: 'replace', path: 'name[givenName eq "x"].nick', value: 'y' }, 'invalidPath'],
    ['a no-path value that is not an object', { op: 'replace', value: 'x' }, 'invalidValue'],
    ['manager.displayName (readOnly)', { op: 'replace', path: `${ent}:manager.displayName`, value: 'x' }, 'mutability'],
  ])('rejects %s', (_name, op, scimType) => {
    expect(scimErrorOf(() => patchUser(user(), op))).toMatchObject({ status: 400, scimType });
  });

  it('is atomic: a failing later operation leaves nothing applied and the input untouched', () => {
    const start = user();
    expect(() => patchUser(start, { op: 'replace', path: 'title', value: 'x' }, { op: 'remove', path: 'nope' })).toThrow();
    expect(start).toEqual(user());
  });
});

describe('Filtered paths on single-valued attributes (Entra since August 2025) act as the plain path', () => {
  // The filter must parse but is ignored: it does not match the stored givenName 'Babs', and the operation applies.
  const babs = () => user({ name: { givenName: 'Babs' } });
  it.each<[string, unknown[], ScimResource]>([
    [
      'Entra filtered path on a single-valued complex attribute, with a sub-attribute',
      [{ op: 'Replace', path: 'name[givenName eq "Barbara"].familyName', value: 'Jensen' }],
      user({ name: { givenName: 'Babs', familyName: 'Jensen' } }),
    ],
    [
      'Entra filtered path on a single-valued complex attribute',
      [{ op: 'Add', path: 'name[givenName eq "Barbara"]', value: { familyName: 'Jensen' } }],
      user({ name: { givenName: 'Babs', familyName: 'Jensen' } }),
    ],
    [
      'Entra filtered path on a simple attribute',
      [{ op: 'Replace', path: 'active[value eq "true"]', value: 'False' }],
      user({ active: false, name: { givenName: 'Babs' } }),
    ],
    [
      'Entra filtered path on an extension attribute',
      [{ op: 'Replace', path: `${ent}:manager[value eq "old"].value`, value: 'm-2' }],
      user({ schemas: [URN.User, ent], name: { givenName: 'Babs' }, [ent]: { manager: { value: 'm-2' } } }),
    ],
    [
      'removal through a filtered path on a single-valued attribute',
      [{ op: 'remove', path: 'name[givenName eq "Barbara"].givenName' }],
      user(),
    ],
  ])('%s', (_name, ops, expected) => {
    expect(patchUser(babs(), ...ops).resource).toEqual(expected);
  });
});

describe('RFC 7644 §3.5.2.1: a multi-valued value already there is not added twice', () => {
  const home = { type: 'home', value: 'h@x.com', primary: true };
  const work = { type: 'work', value: 'w@x.com' };
  it.each<[string, ScimResource, unknown[], ScimResource]>([
    [
      'add of the same value as an array changes nothing',
      user({ emails: [home] }),
      [{ op: 'add', path: 'emails', value: [{ value: 'h@x.com', type: 'home' }] }],
      user({ emails: [home] }),
    ],
    [
      'add of the same value in another case (value is not caseExact) merges into it',
      user({ emails: [home] }),
      [{ op: 'add', path: 'emails', value: { value: 'H@X.COM', type: 'home' } }],
      user({ emails: [{ ...home, value: 'H@X.COM' }] }),
    ],
    [
      'add of the same value keeps the sub-attributes it does not name',
      user({ emails: [home] }),
      [{ op: 'add', path: 'emails', value: [{ value: 'h@x.com', display: 'Home' }] }],
      user({ emails: [{ ...home, display: 'Home' }] }),
    ],
    [
      'types are compared case-insensitively',
      user({ emails: [home] }),
      [{ op: 'add', path: 'emails', value: [{ value: 'h@x.com', type: 'HOME' }] }],
      user({ emails: [{ ...home, type: 'HOME' }] }),
    ],
    [
      'the same value with another type is another value',
      user({ emails: [home] }),
      [{ op: 'add', path: 'emails', value: [{ value: 'h@x.com', type: 'work' }] }],
      user({ emails: [home, { value: 'h@x.com', type: 'work' }] }),
    ],
    [
      'a merged value that sets primary takes it from the others',
      user({ emails: [home, work] }),
      [{ op: 'add', path: 'emails', value: [{ value: 'W@x.com', primary: true }] }],
      user({
        emails: [
          { ...home, primary: false },
          { ...work, value: 'W@x.com', primary: true },
        ],
      }),
    ],
    [
      'one request listing a value twice adds it once',
      user({ emails: [home] }),
      [{ op: 'add', path: 'emails', value: [{ value: 'n@x.com' }, { value: 'N@x.com' }] }],
      user({ emails: [home, { value: 'N@x.com' }] }),
    ],
    [
      'a no-path add of a value already there merges into it',
      user({ emails: [home] }),
      [{ op: 'add', value: { emails: [{ value: 'H@x.com', type: 'home' }] } }],
      user({ emails: [{ ...home, value: 'H@x.com' }] }),
    ],
    [
      'values without a value sub-attribute (addresses) are the same only when equal',
      user({ addresses: [{ type: 'work', locality: 'A' }] }),
      [
        {
          op: 'add',
          path: 'addresses',
          value: [
            { type: 'work', locality: 'A' },
            { type: 'work', locality: 'B' },
          ],
        },
      ],
      user({
        addresses: [
          { type: 'work', locality: 'A' },
          { type: 'work', locality: 'B' },
        ],
      }),
    ],
    [
      'remove with a value list matches value case-insensitively',
      user({ emails: [home, work] }),
      [{ op: 'remove', path: 'emails', value: [{ value: 'H@X.COM' }] }],
      user({ emails: [work] }),
    ],
    [
      'remove with a value list matches type case-insensitively',
      user({ emails: [home, work] }),
      [{ op: 'remove', path: 'emails', value: [{ value: 'h@x.com', type: 'Home' }] }],
      user({ emails: [work] }),
    ],
    [
      'remove with a value list leaves a value of another type',
      user({ emails: [home, work] }),
      [{ op: 'remove', path: 'emails', value: [{ value: 'h@x.com', type: 'work' }] }],
      user({ emails: [home, work] }),
    ],
  ])('%s', (_name, start, ops, expected) => {
    expect(patchUser(start, ...ops).resource).toEqual(expected);
  });

  /** A resource type whose attributes have the caseExact settings the User schema lacks. */
  const caseType: ResourceType = {
    ...userResourceType,
    schemaExtensions: [],
    schema: schema(URN.User, 'User', 'caseExact test type', [
      multiValuedComplex('keys', 'Keys.', str('value', 'A key.', { caseExact: true }), []),
      str('tags', 'Tags.', { multiValued: true }),
      str('codes', 'Codes.', { multiValued: true, caseExact: true }),
    ]),
  };
  it.each<[string, ScimResource, unknown, ScimResource]>([
    [
      'a caseExact value in another case is another value',
      { keys: [{ value: 'k' }] },
      { op: 'add', path: 'keys', value: [{ value: 'K' }] },
      { keys: [{ value: 'k' }, { value: 'K' }] },
    ],
    [
      'a simple value in another case is the same value',
      { tags: ['a'] },
      { op: 'add', path: 'tags', value: ['A', 'b'] },
      { tags: ['a', 'b'] },
    ],
    [
      'a simple caseExact value in another case is another value',
      { codes: ['a'] },
      { op: 'add', path: 'codes', value: ['A'] },
      { codes: ['a', 'A'] },
    ],
    [
      'remove with a simple value list matches under caseExact false',
      { tags: ['a', 'b'] },
      { op: 'remove', path: 'tags', value: ['A'] },
      { tags: ['b'] },
    ],
    [
      'remove with a caseExact value list needs the exact case',
      { keys: [{ value: 'k' }] },
      { op: 'remove', path: 'keys', value: [{ value: 'K' }] },
      { keys: [{ value: 'k' }] },
    ],
  ])('%s', (_name, start, op, expected) => {
    expect(applyPatch({ schemas: [URN.User], ...start }, [op], caseType).resource).toEqual({ schemas: [URN.User], ...expected });
  });
});

describe('RFC 7644 §3.5.2.3: replace of filtered values keeps the sub-attributes it does not name', () => {
  const work = { type: 'work', value: 'w@x.com', primary: true, display: 'W' };
  const home = { type: 'home', value: 'h@x.com' };
  it.each<[string, unknown, ScimResource['emails']]>([
    [
      'a complex value merges into the matching value',
      { op: 'replace', path: 'emails[type eq "work"]', value: { value: 'w2@x.com' } },
      [{ ...work, value: 'w2@x.com' }, home],
    ],
    [
      'a one-element array counts as that element',
      { op: 'replace', path: 'emails[type eq "work"]', value: [{ display: 'Work' }] },
      [{ ...work, display: 'Work' }, home],
    ],
    [
      'primary set on a filtered value moves from the others',
      { op: 'replace', path: 'emails[type eq "home"]', value: { primary: true } },
      [
        { ...work, primary: false },
        { ...home, primary: true },
      ],
    ],
    ['a null value still unassigns the matching values', { op: 'replace', path: 'emails[type eq "work"]', value: null }, [home]],
    [
      'without a filter, replace still replaces all values',
      { op: 'replace', path: 'emails', value: [{ value: 'n@x.com' }] },
      [{ value: 'n@x.com' }],
    ],
  ])('%s', (_name, op, emails) => {
    expect(patchUser(user({ emails: [work, home] }), op).resource).toEqual(user({ emails }));
  });
});

describe('No-path keys that are value paths are applied as that path', () => {
  const work = { type: 'work', value: 'w@x.com', display: 'W' };
  it.each<[string, ScimResource, unknown, ScimResource]>([
    [
      'an eq filter that matches nothing creates the value it describes',
      user(),
      { op: 'replace', value: { 'emails[type eq "work"].value': 'bracket@x.com' } },
      user({
        emails: [
          { value: 'b@example.com', type: 'home' },
          { type: 'work', value: 'bracket@x.com' },
        ],
      }),
    ],
    [
      'a sub-attribute of the matching values is set',
      user({ emails: [work] }),
      { op: 'Replace', value: { 'EMAILS[type eq "work"].value': 'bracket@x.com' } },
      user({ emails: [{ ...work, value: 'bracket@x.com' }] }),
    ],
    [
      'a complex value merges into the matching values',
      user({ emails: [work] }),
      { op: 'add', value: { 'emails[type eq "work"]': { primary: true } } },
      user({ emails: [{ ...work, primary: true }] }),
    ],
    [
      'keys apply in order',
      user(),
      { op: 'replace', value: { emails: [work], 'emails[type eq "work"].display': 'Work', title: 'Lead' } },
      user({ emails: [{ ...work, display: 'Work' }], title: 'Lead' }),
    ],
    [
      'a value filter on a single-valued attribute is the plain path, as in a path',
      user(),
      { op: 'replace', value: { 'name[givenName eq "x"].familyName': 'Jensen' } },
      user({ name: { familyName: 'Jensen' } }),
    ],
    [
      'value-path keys of unknown schemas or attributes are ignored',
      user(),
      {
        op: 'replace',
        value: {
          'urn:okta:custom:1.0:User:things[type eq "x"].value': 'v',
          'favourites[type eq "x"]': {},
          'urn:okta:custom:1.0:User:tags[0]': 'x',
          'foo[bar': 'y',
        },
      },
      user(),
    ],
  ])('%s', (_name, start, op, expected) => {
    expect(patchUser(start, op).resource).toEqual(expected);
  });

  it('reports value-path keys of unknown attributes as dropped', () => {
    expect(patchUser(user(), { op: 'replace', value: { 'favourites[type eq "x"].value': 'v' } }).dropped).toEqual([
      'favourites[type eq "x"].value',
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a malformed value path', { 'emails[type eq': 'x' }, 'invalidPath'],
    ['an unknown sub-attribute after the filter', { 'emails[type eq "work"].nope': 'x' }, 'invalidPath'],
    ['a readOnly attribute', { 'groups[type eq "direct"].value': 'g' }, 'mutability'],
    ['a filter naming an unknown sub-attribute', { 'emails[nope eq "x"].value': 'x' }, 'invalidFilter'],
    ['a filter that matches nothing and is not eq', { 'emails[value co "nowhere"].type': 'work' }, 'noTarget'],
  ])('rejects %s', (_name, value, scimType) => {
    expect(scimErrorOf(() => patchUser(user(), { op: 'replace', value }))).toMatchObject({ status: 400, scimType });
  });

  it('rejects a members value path in a Group no-path value, as it would the path', () => {
    const op = { op: 'replace', value: { 'members[value eq "a"]': { value: 'b' } } };
    expect(scimErrorOf(() => patchGroup(op))).toMatchObject({ status: 400, scimType: 'invalidPath' });
  });
});

describe('A path that is the core schema URN', () => {
  it('applies an object value like a no-path value', () => {
    const op = {
      op: 'replace',
      path: URN.User,
      value: { displayName: 'Babs', 'name.givenName': 'Barbara', 'emails[type eq "home"].display': 'Home' },
    };
    expect(patchUser(user(), op).resource).toEqual(
      user({ displayName: 'Babs', name: { givenName: 'Barbara' }, emails: [{ value: 'b@example.com', type: 'home', display: 'Home' }] }),
    );
  });

  it('turns members in a Group value into a delta', () => {
    const result = patchGroup({ op: 'add', path: URN.Group.toUpperCase(), value: { displayName: 'Renamed', members: [{ value: 'a' }] } });
    expect(result.memberOps).toEqual([{ kind: 'add', members: [{ value: 'a' }] }]);
    expect(result.resource).toEqual({ schemas: [URN.Group], id: 'g1', displayName: 'Renamed' });
  });

  it.each<[string, unknown, string]>([
    ['a value that is not an object', { op: 'replace', path: URN.User, value: 'x' }, 'invalidValue'],
    ['remove', { op: 'remove', path: URN.User }, 'invalidPath'],
  ])('rejects %s', (_name, op, scimType) => {
    expect(scimErrorOf(() => patchUser(user(), op))).toMatchObject({ status: 400, scimType });
  });
});

describe('Free-form team metadata', () => {
  const team = {
    schemas: [URN.Group, URN.TeamExtension],
    id: 'g1',
    displayName: 'Team',
    [URN.TeamExtension]: { metadata: { c: 'y', n: 1 } },
  };
  const metadataAfter = (op: unknown) => (applyPatch(team, [op], 'Group').resource[URN.TeamExtension] as { metadata: unknown }).metadata;

  it.each<[string, unknown, unknown]>([
    [
      'add adds keys (RFC 7644 §3.5.2.1)',
      { op: 'add', path: `${URN.TeamExtension}:metadata`, value: { new: 1, n: 2 } },
      { c: 'y', n: 2, new: 1 },
    ],
    ['replace stores the object verbatim', { op: 'replace', path: `${URN.TeamExtension}:metadata`, value: { new: 1 } }, { new: 1 }],
  ])('%s', (_name, op, expected) => expect(metadataAfter(op)).toEqual(expected));
});

describe('Group members as a delta', () => {
  it.each<[string, unknown[], unknown[]]>([
    [
      'Okta add with several members, $ref ignored, type normalised',
      [
        {
          op: 'add',
          path: 'members',
          value: [
            { $ref: null, value: 'a' },
            { value: 'b', type: 'group' },
          ],
        },
      ],
      [{ kind: 'add', members: [{ value: 'a' }, { value: 'b', type: 'Group' }] }],
    ],
    [
      'Entra remove by value list (capitalised Members)',
      [{ op: 'Remove', path: 'Members', value: [{ value: 'a' }, { value: 'b' }] }],
      [{ kind: 'remove', values: ['a', 'b'] }],
    ],
    [
      'remove by an or of value eq',
      [{ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }],
      [{ kind: 'remove', values: ['a', 'b'] }],
    ],
    [
      'no-path replace with members and displayName',
      [{ op: 'replace', value: { members: [{ value: 'a', type: 'User' }], displayName: 'Renamed' } }],
      [{ kind: 'replace', members: [{ value: 'a', type: 'User' }] }],
    ],
    ['add of a bare member id', [{ op: 'add', path: 'members', value: 'a' }], [{ kind: 'add', members: [{ value: 'a' }] }]],
    [
      'remove by unquoted ids (Entra 2026)',
      [{ op: 'Remove', path: 'members[value eq abc-123 or value eq 42]' }],
      [{ kind: 'remove', values: ['abc-123', '42'] }],
    ],
  ])('%s', (_name, ops, memberOps) => {
    const result = patchGroup(...ops);
    expect(result.memberOps).toEqual(memberOps);
    expect(result.resource.members).toBeUndefined();
  });

  it('applies the non-member part of a no-path value', () => {
    expect(patchGroup({ op: 'replace', value: { members: [], displayName: 'Renamed' } }).resource.displayName).toBe('Renamed');
  });

  it.each<[string, unknown, string]>([
    ['a members filter other than value eq', { op: 'remove', path: 'members[type eq "User"]' }, 'invalidFilter'],
    ['a member type outside User/Group', { op: 'add', path: 'members', value: [{ value: 'a', type: 'Robot' }] }, 'invalidValue'],
    ['a member without value', { op: 'add', path: 'members', value: [{ display: 'x' }] }, 'invalidValue'],
    ['a members sub-attribute path', { op: 'replace', path: 'members[value eq "a"].value', value: 'b' }, 'invalidPath'],
    ['removing the required displayName', { op: 'remove', path: 'displayName' }, 'mutability'],
  ])('rejects %s', (_name, op, scimType) => {
    expect(scimErrorOf(() => patchGroup(op))).toMatchObject({ status: 400, scimType });
  });
});

describe(parsePatchRequest.name, () => {
  it.each<[string, unknown, string]>([
    ['a non-object body', [], 'invalidSyntax'],
    ['schemas without the PatchOp URN', { schemas: [URN.User], Operations: [{ op: 'add', value: {} }] }, 'invalidSyntax'],
    ['an empty Operations array', { schemas: [URN.PatchOp], Operations: [] }, 'invalidSyntax'],
    ['a non-string path', { schemas: [URN.PatchOp], Operations: [{ op: 'remove', path: 1 }] }, 'invalidPath'],
    ['replace without value', { schemas: [URN.PatchOp], Operations: [{ op: 'replace', path: 'title' }] }, 'invalidValue'],
  ])('rejects %s', (_name, body, scimType) => {
    expect(scimErrorOf(() => parsePatchRequest(body))).toMatchObject({ status: 400, scimType });
  });

  it('accepts case variants of the URN and member names', () => {
    const body = { SCHEMAS: [URN.PatchOp.toUpperCase()], operations: [{ Op: 'Add', Path: 'title', Value: 'x' }] };
    expect(parsePatchRequest(body)).toEqual([{ op: 'add', path: 'title', value: 'x' }]);
  });
});
