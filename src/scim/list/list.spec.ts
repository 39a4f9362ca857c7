import { URN } from '../urns';
import { listResponse, toPage } from './list-response';
import { isRequested, parseAttributeList, project } from './projection';

const user = {
  schemas: [URN.User, URN.EnterpriseUser],
  id: 'u1',
  userName: 'bjensen',
  password: 'secret',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ value: 'b@example.com', type: 'work' }],
  [URN.EnterpriseUser]: { department: 'Sales', division: 'X' },
  meta: { resourceType: 'User' },
};

describe(project.name, () => {
  it.each<[string, object, object]>([
    ['returns default attributes, never password', {}, (({ password: _, ...rest }) => rest)(user)],
    // `schemas` keeps only the schemas whose attributes remain (RFC 7643 §3).
    [
      'keeps one sub-attribute plus always ones',
      { attributes: 'name.givenName' },
      { schemas: [URN.User], id: 'u1', name: { givenName: 'Barbara' } },
    ],
    [
      'accepts URN-qualified and case-variant names, ignoring unknown ones',
      { attributes: [`${URN.EnterpriseUser}:DEPARTMENT,USERNAME`, 'nope'] },
      { schemas: user.schemas, id: 'u1', userName: 'bjensen', [URN.EnterpriseUser]: { department: 'Sales' } },
    ],
    [
      'drops excluded attributes and sub-attributes but never always ones',
      { excludedAttributes: 'emails,name.familyName,id,meta' },
      {
        schemas: user.schemas,
        id: 'u1',
        userName: 'bjensen',
        name: { givenName: 'Barbara' },
        [URN.EnterpriseUser]: user[URN.EnterpriseUser],
      },
    ],
    ['cannot request a never-returned attribute', { attributes: 'password' }, { schemas: [URN.User], id: 'u1' }],
    [
      'reads a bare extension URN as all of its attributes',
      { excludedAttributes: URN.EnterpriseUser.toLowerCase() },
      (({ password: _, [URN.EnterpriseUser]: _e, ...rest }) => ({ ...rest, schemas: [URN.User] }))(user),
    ],
  ])('%s', (_name, q, expected) => expect(project(user, 'User', q)).toEqual(expected));

  it('tells whether Group members will be returned', () => {
    expect(isRequested('Group', { excludedAttributes: 'members' }, 'members')).toBe(false);
    expect(isRequested('Group', { excludedAttributes: 'MEMBERS.value' }, 'members')).toBe(true);
    expect(isRequested('Group', {}, 'members')).toBe(true);
    expect(isRequested('Group', { attributes: 'displayName' }, 'members')).toBe(false);
    expect(isRequested('Group', { attributes: 'members.value' }, 'members')).toBe(true);
  });

  it('splits comma-separated lists', () => expect(parseAttributeList(' a, b.c ,,d')).toEqual(['a', 'b.c', 'd']));
});

describe(toPage.name, () => {
  it.each<[object, object]>([
    [{}, { startIndex: 1, offset: 0, limit: 100 }],
    [
      { startIndex: 0, count: -5 },
      { startIndex: 1, offset: 0, limit: 0 },
    ],
    [
      { startIndex: 11, count: 1000 },
      { startIndex: 11, offset: 10, limit: 100 },
    ],
    [
      { startIndex: Number.NaN, count: 2.7 },
      { startIndex: 1, offset: 0, limit: 2 },
    ],
  ])('%j → %j', (q, page) => expect(toPage(q, 100)).toEqual(page));

  it('builds a ListResponse with itemsPerPage = returned count', () => {
    expect(listResponse([{ id: 'a' }], 7, 3)).toEqual({
      schemas: [URN.ListResponse],
      totalResults: 7,
      startIndex: 3,
      itemsPerPage: 1,
      Resources: [{ id: 'a' }],
    });
  });
});
