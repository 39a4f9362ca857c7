import { scimErrorOf } from '../../../test/support/scim-error-of';
import { ScimResource } from '../schema/coerce';
import { validateResource } from '../schema/validate-resource';
import { URN } from '../urns';
import { applyPatch } from './apply-patch';

const group = (o: ScimResource = {}): ScimResource => ({ schemas: [URN.Group], displayName: 'Team', ...o });

describe('Group members in POST and PUT are validated as PATCH validates them', () => {
  it.each<[string, unknown]>([
    ['a member with a type but no value', [{ type: 'User' }]],
    ['a member with a $ref but no value', [{ $ref: 'x' }]],
    ['an empty member', [{}]],
    ['a member with only read-only display', [{ display: 'Alice' }]],
    ['a null member', [null]],
    ['a member whose value is empty', [{ value: '' }]],
    ['a member whose value is an object', [{ value: { id: 'u1' } }]],
    ['a valid member and then an empty one', [{ value: 'u1' }, {}]],
  ])('rejects %s with 400 invalidValue', (_name, members) => {
    for (const mode of ['create', 'replace'] as const) {
      const e = scimErrorOf(() => validateResource('Group', group({ members }), mode));
      expect(e).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(e.detail).toMatch(/"value"|members\.value/);
    }
    // The same members in a PATCH, for comparison.
    expect(scimErrorOf(() => applyPatch(group(), [{ op: 'add', path: 'members', value: members }], 'Group'))).toMatchObject({
      status: 400,
      scimType: 'invalidValue',
    });
  });

  it.each<[string, unknown, unknown]>([
    [
      'members with value and type',
      [
        { value: 'u1', type: 'user' },
        { value: 'g1', type: 'Group', $ref: 'x', display: 'y' },
      ],
      [
        { value: 'u1', type: 'User' },
        { value: 'g1', type: 'Group' },
      ],
    ],
    ['a single member object', { value: 'u1' }, [{ value: 'u1' }]],
    ['a bare id (as PATCH allows)', 'u1', [{ value: 'u1' }]],
    ['a numeric id, read as text', [{ value: 42 }], [{ value: '42' }]],
    ['no members (null is unassigned)', null, undefined],
    ['an empty list', [], undefined],
  ])('accepts %s', (_name, members, expected) => {
    const { resource, memberships } = validateResource('Group', group({ members }), 'create');
    expect(resource.members).toBeUndefined(); // memberships are not stored in the resource
    expect(memberships).toEqual(expected ?? []);
  });

  it('reads the members under any spelling of the key; the last one counts', () => {
    const body = { ...group(), members: [{ value: 'a' }], Members: [{ value: 'b' }] };
    expect(validateResource('Group', body, 'replace').memberships).toEqual([{ value: 'b' }]);
    expect(scimErrorOf(() => validateResource('Group', { ...group(), members: [{}], MEMBERS: [{ value: 'b' }] }, 'create'))).toMatchObject({
      scimType: 'invalidValue',
    });
  });

  it('has no members for a User, and reads its groups only where they are writable', () => {
    const body = { schemas: [URN.User], userName: 'u', members: [{}], groups: [{ value: 't1', display: 'T', type: 'direct' }, 't2'] };
    expect(validateResource('User', body, 'create').memberships).toBeUndefined();
    expect(validateResource('User', body, 'create', { userGroups: true }).memberships).toEqual([{ value: 't1' }, { value: 't2' }]);
    const bad = scimErrorOf(() => validateResource('User', { ...body, groups: [{ display: 'T' }] }, 'create', { userGroups: true }));
    expect(bad).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining("team's (Group's) id") });
  });
});

describe('several spellings of members in one no-path PATCH value make one member operation', () => {
  it.each<[string, string, unknown[]]>([
    ['add adds them all', 'add', [{ kind: 'add', members: [{ value: 'a' }, { value: 'b' }] }]],
    ['replace keeps the last list', 'replace', [{ kind: 'replace', members: [{ value: 'b' }] }]],
  ])('%s', (_name, op, memberOps) => {
    const value = { members: [{ value: 'a' }], Members: [{ value: 'b' }], displayName: 'Renamed' };
    const result = applyPatch(group({ id: 'g1' }), [{ op, value }], 'Group');
    expect(result.memberOps).toEqual(memberOps);
    expect(result.resource.displayName).toBe('Renamed');
  });

  it('validates every list, the replaced ones too', () => {
    const value = { members: [{}], Members: [{ value: 'b' }] };
    expect(scimErrorOf(() => applyPatch(group({ id: 'g1' }), [{ op: 'replace', value }], 'Group'))).toMatchObject({
      scimType: 'invalidValue',
    });
  });
});
