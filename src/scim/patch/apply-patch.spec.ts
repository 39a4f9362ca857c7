import add from '../../../test/fixtures/rfc7644-3.5.2.1-add.json';
import remove from '../../../test/fixtures/rfc7644-3.5.2.2-remove.json';
import replace from '../../../test/fixtures/rfc7644-3.5.2.3-replace.json';
import { ScimResource } from '../schema/coerce';
import { scimErrorOf } from '../../../test/support/scim-error-of';
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
      user({ emails: [{ value: 'b@example.com', type: 'home' }, { type: 'work', value: 'w@example.com' }] }),
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
      user({ emails: [{ value: 'b@example.com', type: 'home' }, { value: 'p@example.com', type: 'other', primary: true }] }),
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
    ['two primaries in one value', { op: 'add', path: 'emails', value: [{ value: 'a', primary: true }, { value: 'b', primary: true }] }, 'invalidValue'],
    ['an unknown op', { op: 'merge', path: 'title', value: 'x' }, 'invalidSyntax'],
    ['a malformed path', { op: 'replace', path: 'emails[type eq', value: 'x' }, 'invalidPath'],
    ['a filter on a single-valued attribute', { op: 'replace', path: 'name[givenName eq "x"]', value: {} }, 'invalidPath'],
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

describe('Group members as a delta', () => {
  it.each<[string, unknown[], unknown[]]>([
    [
      'Okta add with several members, $ref ignored, type normalised',
      [{ op: 'add', path: 'members', value: [{ $ref: null, value: 'a' }, { value: 'b', type: 'group' }] }],
      [{ kind: 'add', members: [{ value: 'a' }, { value: 'b', type: 'Group' }] }],
    ],
    [
      'Entra remove by value list (capitalised Members)',
      [{ op: 'Remove', path: 'Members', value: [{ value: 'a' }, { value: 'b' }] }],
      [{ kind: 'remove', values: ['a', 'b'] }],
    ],
    ['remove by an or of value eq', [{ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }], [{ kind: 'remove', values: ['a', 'b'] }]],
    [
      'no-path replace with members and displayName',
      [{ op: 'replace', value: { members: [{ value: 'a', type: 'User' }], displayName: 'Renamed' } }],
      [{ kind: 'replace', members: [{ value: 'a', type: 'User' }] }],
    ],
    ['add of a bare member id', [{ op: 'add', path: 'members', value: 'a' }], [{ kind: 'add', members: [{ value: 'a' }] }]],
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
