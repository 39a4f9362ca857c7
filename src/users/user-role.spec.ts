import { rankedRole } from './user.mapper';

describe(rankedRole.name, () => {
  const roles = ['admin', 'member', 'viewer'];

  it.each([
    ['no roles', undefined, 'viewer'],
    ['an empty list', [], 'viewer'],
    ['one known value, any case', [{ value: 'Member' }], 'member'],
    ['the highest-ranked known value, primary or not', [{ value: 'viewer', primary: true }, { value: 'ADMIN' }], 'admin'],
    ['unknown values only', [{ value: 'superuser', primary: true }, { value: 'Global Reader' }], 'viewer'],
    ['unknown values beside a known one', [{ value: 'superuser', primary: true }, { value: 'member' }], 'member'],
    ['values that are no strings', [{ value: 7 }, { display: 'admin' }, 'admin'], 'viewer'],
    ['a single object where a list is expected', { value: 'admin' }, 'viewer'],
  ])('gives the role for %s', (_case, given, expected) => {
    expect(rankedRole(given, roles, 'viewer')).toBe(expected);
  });
});
