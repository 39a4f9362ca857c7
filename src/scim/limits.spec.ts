import { scimErrorOf } from '../../test/support/scim-error-of';
import { MAX_MEMBERS_PER_REQUEST, MAX_OPERATIONS, MAX_VALUES } from './limits';
import { applyPatch } from './patch/apply-patch';
import { parsePatchRequest } from './patch/patch-request';
import { ScimResource } from './schema/coerce';
import { validateResource } from './schema/validate-resource';
import { URN } from './urns';

const user: ScimResource = { schemas: [URN.User], id: 'u1', userName: 'bjensen' };
const group: ScimResource = { schemas: [URN.Group], id: 'g1', displayName: 'Team' };
const emails = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ value: `e${from + i}@x.io` }));
const members = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `m${i}` }));
const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ op: 'replace', path: 'title', value: `t${i}` }));
const withEmails = (n: number) => applyPatch(user, [{ op: 'add', path: 'emails', value: emails(n) }], 'User').resource;

const tooLarge = (cap: number, count: number) => ({
  status: 413,
  scimType: undefined,
  detail: expect.stringMatching(new RegExp(`at most ${cap}\\b.*\\b${count}\\b`)),
});
const tooManyValues = (attribute: string, count: number) => ({
  status: 400,
  scimType: 'invalidValue',
  detail: expect.stringMatching(new RegExp(`'${attribute}' may hold at most ${MAX_VALUES} values.*\\b${count}\\b`)),
});

describe('the caps of limits.ts', () => {
  describe(`MAX_OPERATIONS (${MAX_OPERATIONS}): 413 beyond it`, () => {
    it.each<[string, () => unknown, number | undefined]>([
      ['a PATCH body with 1,000 operations', () => parsePatchRequest({ schemas: [URN.PatchOp], Operations: ops(1000) }), undefined],
      ['a PATCH body with 1,001 operations', () => parsePatchRequest({ schemas: [URN.PatchOp], Operations: ops(1001) }), 1001],
      ['applyPatch with 1,001 operations', () => applyPatch(user, ops(1001), 'User'), 1001],
      [
        'a no-path value with 1,001 value-path keys (each runs as an operation)',
        () =>
          applyPatch(
            user,
            [{ op: 'add', value: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`emails[value eq "e${i}"].display`, 'd'])) }],
            'User',
          ),
        1001,
      ],
      [
        '999 operations and a no-path value with 2 value-path keys',
        () =>
          applyPatch(
            user,
            [...ops(999), { op: 'add', value: { 'emails[type eq "a"].display': 'd', 'emails[type eq "b"].display': 'd' } }],
            'User',
          ),
        1001,
      ],
    ])('%s', (_name, run, count) => {
      if (count === undefined) {
        expect(run).not.toThrow();
      } else {
        expect(scimErrorOf(run)).toMatchObject(tooLarge(MAX_OPERATIONS, count));
      }
    });
  });

  describe(`MAX_MEMBERS_PER_REQUEST (${MAX_MEMBERS_PER_REQUEST}): 413 beyond it, summed over a request`, () => {
    const post = (list: unknown) => validateResource('Group', { ...group, members: list }, 'create');
    it.each<[string, () => unknown, number | undefined]>([
      ['a POST with 10,000 members', () => post(members(10_000)), undefined],
      ['a POST with 10,001 members', () => post(members(10_001)), 10_001],
      ['a PUT with 10,001 members', () => validateResource('Group', { ...group, members: members(10_001) }, 'replace'), 10_001],
      ['a PATCH adding 10,001 members', () => applyPatch(group, [{ op: 'add', path: 'members', value: members(10_001) }], 'Group'), 10_001],
      [
        'a PATCH adding 5,000 and removing 5,001',
        () =>
          applyPatch(
            group,
            [
              { op: 'add', path: 'members', value: members(5000) },
              { op: 'remove', path: 'members', value: members(5001) },
            ],
            'Group',
          ),
        10_001,
      ],
      [
        'a PATCH with 10,000 members in one operation and one more in a no-path value',
        () =>
          applyPatch(
            group,
            [
              { op: 'add', path: 'members', value: members(10_000) },
              { op: 'replace', value: { displayName: 'x', members: [{ value: 'y' }] } },
            ],
            'Group',
          ),
        10_001,
      ],
      [
        'a PATCH adding 10,000 members',
        () => applyPatch(group, [{ op: 'add', path: 'members', value: members(10_000) }], 'Group'),
        undefined,
      ],
    ])('%s', (_name, run, count) => {
      if (count === undefined) {
        expect(run).not.toThrow();
      } else {
        expect(scimErrorOf(run)).toMatchObject(tooLarge(MAX_MEMBERS_PER_REQUEST, count));
      }
    });

    it('exempts Group members from the cap on values per attribute', () => {
      expect(post(members(MAX_VALUES + 1)).memberships).toHaveLength(MAX_VALUES + 1);
    });
  });

  describe(`MAX_VALUES (${MAX_VALUES}): 400 invalidValue when a write leaves more in one attribute`, () => {
    const full = withEmails(MAX_VALUES);
    it.each<[string, () => unknown, string | undefined, number | undefined]>([
      ['a POST with 1,000 emails', () => validateResource('User', { ...user, emails: emails(1000) }, 'create'), undefined, undefined],
      ['a POST with 1,001 emails', () => validateResource('User', { ...user, emails: emails(1001) }, 'create'), 'emails', 1001],
      ['a PUT with 1,001 roles', () => validateResource('User', { ...user, roles: emails(1001) }, 'replace'), 'roles', 1001],
      [
        'a PATCH adding one email to 1,000',
        () => applyPatch(full, [{ op: 'add', path: 'emails', value: emails(1, 1000) }], 'User'),
        'emails',
        1001,
      ],
      [
        'a PATCH adding 1,000 emails already there',
        () => applyPatch(full, [{ op: 'add', path: 'emails', value: emails(1000) }], 'User'),
        undefined,
        undefined,
      ],
      [
        'a PATCH replacing emails with 1,001',
        () => applyPatch(user, [{ op: 'replace', path: 'emails', value: emails(1001) }], 'User'),
        'emails',
        1001,
      ],
      [
        'a PATCH whose eq filter creates the 1,001st email',
        () => applyPatch(full, [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'w@x.io' }], 'User'),
        'emails',
        1001,
      ],
      [
        'a no-path PATCH adding one more',
        () => applyPatch(full, [{ op: 'add', value: { emails: emails(1, 1000) } }], 'User'),
        'emails',
        1001,
      ],
      [
        'a PATCH growing past the cap and shrinking again (the cap holds after every write)',
        () =>
          applyPatch(
            full,
            [
              { op: 'add', path: 'emails', value: emails(1, 1000) },
              { op: 'remove', path: 'emails', value: emails(1) },
            ],
            'User',
          ),
        'emails',
        1001,
      ],
      [
        'a PATCH removing one and adding one',
        () =>
          applyPatch(
            full,
            [
              { op: 'remove', path: 'emails', value: emails(1) },
              { op: 'add', path: 'emails', value: emails(1, 1000) },
            ],
            'User',
          ),
        undefined,
        undefined,
      ],
    ])('%s', (_name, run, attribute, count) => {
      if (attribute === undefined || count === undefined) {
        expect(run).not.toThrow();
      } else {
        expect(scimErrorOf(run)).toMatchObject(tooManyValues(attribute, count));
      }
    });

    it('lets a PATCH that does not write an attribute already over the cap (stored before the cap) through', () => {
      const legacy = { ...user, emails: emails(MAX_VALUES + 5) };
      expect(applyPatch(legacy, [{ op: 'replace', path: 'title', value: 'x' }], 'User').resource.emails).toHaveLength(MAX_VALUES + 5);
      expect(applyPatch(legacy, [{ op: 'remove', path: 'emails', value: emails(5) }], 'User').resource.emails).toHaveLength(MAX_VALUES);
    });
  });
});
