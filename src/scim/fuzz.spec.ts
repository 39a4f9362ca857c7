import fc from 'fast-check';
import { ScimError } from './errors';
import { bindFilter } from './filter/bind-filter';
import { matchesFilter } from './filter/matches-filter';
import { parseFilter } from './filter/parse-filter';
import { applyPatch } from './patch/apply-patch';
import { parsePatchRequest } from './patch/patch-request';
import { validateResource } from './schema/validate-resource';
import { URN } from './urns';

/** Only ScimError may escape the core on bad input. */
const onlyScimErrors = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ScimError)) {
      throw e;
    }
  }
};

const token = fc.constantFrom(
  'userName',
  'emails',
  'emails.value',
  'name.familyName',
  'active',
  'meta.created',
  'members',
  'displayName',
  `${URN.EnterpriseUser}:manager`,
  `${URN.EnterpriseUser}:department`,
  'x509Certificates.value',
  'password',
  'id',
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
  'pr',
  'and',
  'or',
  'not',
  'NOT',
  '(',
  ')',
  '[',
  ']',
  '.',
  '"x"',
  '"true"',
  '"2011-05-13T04:42:34Z"',
  '"\\u00e9"',
  '"unterminated',
  '1',
  '-2.5e3',
  'true',
  'null',
  "'q'",
  'value',
  'type',
  'primary',
);
const filterish = fc.oneof(
  fc.string(),
  fc.array(token, { maxLength: 12 }).map((ts) => ts.join(' ')),
);
const user = { schemas: [URN.User], id: 'u', userName: 'a', emails: [{ value: 'a@b.c', type: 'work', primary: true }] };

describe('fuzz: the core throws nothing but ScimError', () => {
  it('parses, binds and evaluates arbitrary filter text', () => {
    fc.assert(
      fc.property(filterish, fc.constantFrom('User' as const, 'Group' as const), (text, rt) =>
        onlyScimErrors(() => matchesFilter(user, bindFilter(parseFilter(text), rt))),
      ),
      { numRuns: 3000 },
    );
  });

  const op = fc.record(
    {
      op: fc.oneof(fc.constantFrom('add', 'Remove', 'REPLACE', 'move'), fc.anything()),
      path: fc.oneof(
        filterish,
        fc.constantFrom('members[value eq "a"]', 'emails[type eq "work"].value', URN.EnterpriseUser),
        fc.anything(),
      ),
      value: fc.oneof(fc.jsonValue(), fc.constant({ members: [{ value: 'a' }], 'name.givenName': 'x', active: 'False' })),
    },
    { requiredKeys: [] },
  );

  it('applies arbitrary PATCH bodies', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.record({ schemas: fc.constant([URN.PatchOp]), Operations: fc.array(op, { maxLength: 4 }) })),
        fc.constantFrom('User' as const, 'Group' as const),
        (body, rt) =>
          onlyScimErrors(() => applyPatch(rt === 'User' ? user : { schemas: [URN.Group], displayName: 'g' }, parsePatchRequest(body), rt)),
      ),
      { numRuns: 3000 },
    );
  });

  it('validates arbitrary resource bodies', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.dictionary(token, fc.jsonValue()).map((d) => ({ schemas: [URN.User], ...d })),
        ),
        (body) => onlyScimErrors(() => validateResource('User', body, 'create')),
      ),
      { numRuns: 2000 },
    );
  });
});
