import { scimErrorOf } from '../../../test/support/scim-error-of';
import { URN } from '../urns';
import { CursorCodec } from './cursor';
import { listResponse, toPaging } from './list-response';
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

const noCursor = () => {
  throw new Error('no cursor expected');
};

describe(toPaging.name, () => {
  it.each<[object, object]>([
    [{}, { kind: 'index', startIndex: 1, offset: 0, limit: 100 }],
    [
      { startIndex: 0, count: -5 },
      { kind: 'index', startIndex: 1, offset: 0, limit: 0 },
    ],
    [
      { startIndex: 11, count: 1000 },
      { kind: 'index', startIndex: 11, offset: 10, limit: 100 },
    ],
    [
      { startIndex: Number.NaN, count: 2.7 },
      { kind: 'index', startIndex: 1, offset: 0, limit: 2 },
    ],
    [{ cursor: '' }, { kind: 'cursor', limit: 100, position: undefined }],
    [
      { cursor: '', count: 1000 },
      { kind: 'cursor', limit: 100, position: undefined },
    ],
  ])('%j → %j', (q, page) => expect(toPaging(q, 100, noCursor)).toEqual(page));

  it('reads a cursor through the decoder, and refuses count 0 with a cursor (RFC 9865 invalidCount) and startIndex with a cursor', () => {
    const position = { keys: ['a', 'b'], backwards: false };
    expect(toPaging({ cursor: 'c1', count: 5 }, 100, () => position)).toEqual({ kind: 'cursor', limit: 5, position });
    expect(scimErrorOf(() => toPaging({ cursor: '', count: 0 }, 100, noCursor))).toMatchObject({ status: 400, scimType: 'invalidCount' });
    expect(scimErrorOf(() => toPaging({ cursor: '', startIndex: 1 }, 100, noCursor))).toMatchObject({
      status: 400,
      scimType: 'invalidValue',
    });
  });

  it('builds a ListResponse with itemsPerPage = returned count', () => {
    expect(listResponse([{ id: 'a' }], 7, { startIndex: 3 })).toEqual({
      schemas: [URN.ListResponse],
      totalResults: 7,
      startIndex: 3,
      itemsPerPage: 1,
      Resources: [{ id: 'a' }],
    });
    expect(listResponse([], 7, { nextCursor: 'n' })).toEqual({
      schemas: [URN.ListResponse],
      totalResults: 7,
      itemsPerPage: 0,
      nextCursor: 'n',
      Resources: [],
    });
  });
});

describe(CursorCodec.name, () => {
  const codec = new CursorCodec('secret', 60);
  const position = { keys: ['ab c', null, 'f0e'], backwards: true };

  it('round-trips a position for the same query, in RFC 3986 unreserved characters', () => {
    const cursor = codec.encode('q1', position, 1_000_000);
    expect(cursor).toMatch(/^[A-Za-z0-9._~-]+$/);
    expect(codec.decode(cursor, 'q1', 1_000_000)).toEqual(position);
  });

  it.each<[string, (c: string) => string, string]>([
    ['a tampered body', (c) => `x${c}`, 'invalidCursor'],
    ['a tampered signature', (c) => `${c.slice(0, -2)}xx`, 'invalidCursor'],
    ['garbage', () => 'not-a-cursor', 'invalidCursor'],
  ])('refuses %s', (_name, change, scimType) => {
    expect(scimErrorOf(() => codec.decode(change(codec.encode('q1', position)), 'q1'))).toMatchObject({ status: 400, scimType });
  });

  it('refuses a cursor of another query, or of another server, and an expired one', () => {
    const cursor = codec.encode('q1', position, 1_000_000);
    expect(scimErrorOf(() => codec.decode(cursor, 'q2', 1_000_000))).toMatchObject({ scimType: 'invalidCursor' });
    expect(scimErrorOf(() => new CursorCodec('other', 60).decode(cursor, 'q1', 1_000_000))).toMatchObject({ scimType: 'invalidCursor' });
    expect(scimErrorOf(() => codec.decode(cursor, 'q1', 1_000_000 + 61_000))).toMatchObject({ scimType: 'expiredCursor' });
  });
});
