import rfcFilters from '../../../test/fixtures/rfc7644-3.4.2.2-filters.json';
import { scimErrorOf } from '../../../test/support/scim-error-of';
import { ScimResource } from '../schema/coerce';
import { URN } from '../urns';
import { Filter } from './ast';
import { bindFilter } from './bind-filter';
import { matchesFilter } from './matches-filter';
import { parseFilter } from './parse-filter';

const p = (text: string, pos: number) => ({ text, pos });

describe(parseFilter.name, () => {
  it.each(rfcFilters)('parses and binds the RFC 7644 §3.4.2.2 example %s', (text) => {
    expect(() => bindFilter(parseFilter(text), 'User')).not.toThrow();
  });

  it.each<[string, Filter]>([
    ['userName eq "bjensen"', { op: 'compare', operator: 'eq', path: p('userName', 1), value: 'bjensen' }],
    [
      'userName EQ "x" AND active Eq TRUE',
      {
        op: 'and',
        left: { op: 'compare', operator: 'eq', path: p('userName', 1), value: 'x' },
        right: { op: 'compare', operator: 'eq', path: p('active', 21), value: true },
      },
    ],
    [
      'a pr or b pr and not (c pr)',
      {
        op: 'or',
        left: { op: 'pr', path: p('a', 1) },
        right: { op: 'and', left: { op: 'pr', path: p('b', 9) }, right: { op: 'not', filter: { op: 'pr', path: p('c', 23) } } },
      },
    ],
    [
      '(a pr or b pr) and c pr',
      {
        op: 'and',
        left: { op: 'or', left: { op: 'pr', path: p('a', 2) }, right: { op: 'pr', path: p('b', 10) } },
        right: { op: 'pr', path: p('c', 20) },
      },
    ],
    ['displayName eq "q\\"b\\\\s\\u00e9"', { op: 'compare', operator: 'eq', path: p('displayName', 1), value: 'q"b\\sé' }],
    ['x gt -1.5e2', { op: 'compare', operator: 'gt', path: p('x', 1), value: -150 }],
    ['manager eq NULL', { op: 'compare', operator: 'eq', path: p('manager', 1), value: null }],
    [
      'emails[type eq "work"]',
      { op: 'valuePath', path: p('emails', 1), filter: { op: 'compare', operator: 'eq', path: p('type', 8), value: 'work' } },
    ],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"',
      {
        op: 'compare',
        operator: 'eq',
        path: p('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 1),
        value: 'm',
      },
    ],
  ])('parses %s', (text, ast) => expect(parseFilter(text)).toEqual(ast));

  describe('unquoted values (Entra, Microsoft SCIMReferenceCode)', () => {
    const value = (text: string) => (parseFilter(text) as { value: unknown }).value;

    it.each<[string, unknown]>([
      ['externalId eq jyoung', 'jyoung'],
      ['userName sw O', 'O'],
      ['userType eq Employee', 'Employee'],
      ['userName eq jyoung@example.com', 'jyoung@example.com'],
      ['members.value eq abc-123', 'abc-123'],
      ["name.familyName eq O'Malley", "O'Malley"],
      ['meta.lastModified gt 2011-05-13T04:42:34Z', '2011-05-13T04:42:34Z'],
      ['displayName eq Zoë', 'Zoë'],
      ['displayName eq and', 'and'],
      ['externalId eq 0123', '0123'],
      ['externalId eq 1.0.0', '1.0.0'],
      ['externalId eq +1', '+1'],
      ['externalId eq 123abc', '123abc'],
      ['externalId eq 123', 123],
      ['externalId eq -1.5e2', -150],
      ['active eq True', true],
      ['active eq FALSE', false],
      ['title eq Null', null],
      ['externalId eq "quoted stays quoted"', 'quoted stays quoted'],
      ['externalId eq "123"', '123'],
      ['externalId eq "true"', 'true'],
    ])('%s reads the value as %j', (text, expected) => expect(value(text)).toEqual(expected));

    it.each<[string, Filter]>([
      [
        'emails[value eq a@b.c]',
        { op: 'valuePath', path: p('emails', 1), filter: { op: 'compare', operator: 'eq', path: p('value', 8), value: 'a@b.c' } },
      ],
      [
        '(userName eq bjensen) or title pr',
        {
          op: 'or',
          left: { op: 'compare', operator: 'eq', path: p('userName', 2), value: 'bjensen' },
          right: { op: 'pr', path: p('title', 26) },
        },
      ],
      [
        'userName eq a and userType eq Employee',
        {
          op: 'and',
          left: { op: 'compare', operator: 'eq', path: p('userName', 1), value: 'a' },
          right: { op: 'compare', operator: 'eq', path: p('userType', 19), value: 'Employee' },
        },
      ],
    ])('ends a bare value at whitespace, a bracket or a parenthesis: %s', (text, ast) => expect(parseFilter(text)).toEqual(ast));

    it('binds a bare number or boolean to a string attribute as its text', () => {
      expect(bindFilter(parseFilter('externalId eq 123'), 'User')).toMatchObject({ value: '123' });
      expect(bindFilter(parseFilter('userType eq true'), 'User')).toMatchObject({ value: 'true' });
    });
  });

  it.each([
    ['', /attribute path at column 1 but found the end/],
    ['userName eq', /expected a value .* at column 12/],
    ['userName foo "x"', /expected an operator .* at column 10 but found 'foo'/],
    ['(userName eq "x"', /expected '\)' at column 17/],
    ['userName eq "x" garbage', /'and', 'or' or the end of the filter at column 17/],
    ['userName eq x y', /'and', 'or' or the end of the filter at column 15 but found 'y'/],
    ['userName eq )', /expected a value .* at column 13 but found '\)'/],
    ['userName eq ab"c"', /'and', 'or' or the end of the filter at column 15/],
    ['emails[type eq "work"', /']' closing the value filter at column 22/],
    ['emails[type eq "a" and x[y eq 1]]', /nested value filter at column 25/],
    ['userName eq "open', /unterminated or malformed string starting at column 13/],
    ["userName eq 'x'", /unexpected character ''' at column 13/],
    ['userName eq "x" and', /attribute path at column 20/],
  ])('rejects %j with invalidFilter naming the column', (text, detail) => {
    const e = scimErrorOf(() => parseFilter(text));
    expect(e).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    expect(e.detail).toMatch(detail);
  });
});

describe(bindFilter.name, () => {
  const bound = (text: string) => bindFilter(parseFilter(text), 'User');

  it('coerces literals by attribute type (Entra string booleans)', () => {
    expect(bound('active eq "True"')).toMatchObject({ op: 'compare', operator: 'eq', value: true });
    expect(bound('emails[primary eq "true"]')).toMatchObject({ filter: { op: 'compare', operator: 'eq', value: true } });
    expect(bound('meta.created gt "2011-05-13T06:42:34+02:00"')).toMatchObject({ value: '2011-05-13T04:42:34.000Z' });
  });

  it('resolves names case-insensitively to canonical paths', () => {
    expect(bound('NAME.FAMILYNAME eq "x"')).toMatchObject({ path: { path: 'name.familyName' } });
    expect(bound('URN:IETF:params:scim:schemas:extension:enterprise:2.0:User:Manager.Value eq "x"')).toMatchObject({
      path: { path: `${URN.EnterpriseUser}:manager.value`, extension: true },
    });
  });

  it('compares a complex attribute by its value sub-attribute (RFC 7644 §3.4.2.2 `emails co`)', () => {
    expect(bound('emails co "x"')).toMatchObject({ op: 'compare', operator: 'co', path: { path: 'emails.value' } });
  });

  it.each([
    ['name[givenName eq "Barbara"]', 'name.givenName eq "Barbara"'],
    ['name[givenName eq "Barbara" and not (familyName pr)]', 'name.givenName eq "Barbara" and not (name.familyName pr)'],
    [`${URN.EnterpriseUser}:manager[value eq "m1"]`, `${URN.EnterpriseUser}:manager.value eq "m1"`],
  ])('reads a value filter on a single-valued complex attribute as its inner filter (Entra): %s', (text, same) => {
    expect(bound(text)).toEqual(bound(same));
  });

  it('rewrites null comparisons to pr (RFC 7643 §2.5)', () => {
    expect(bound('title eq null')).toMatchObject({ op: 'not', filter: { op: 'pr', path: { path: 'title' } } });
    expect(bound('title ne null')).toMatchObject({ op: 'pr' });
  });

  it.each([
    ['foo eq "x"', /unknown attribute 'foo' at column 1/],
    ['active gt true', /'gt' at column 1 is not supported for boolean/],
    ['x509Certificates.value ge "AAAA"', /not supported for binary/],
    ['name eq "x"', /'name' at column 1 is complex/],
    ['password eq "x"', /'password' at column 1 cannot be used/],
    ['active eq "maybe"', /'active' at column 1 compares with a boolean/],
    ['meta.created gt "yesterday"', /xsd:dateTime/],
    ['userName[value eq "x"]', /needs a complex attribute with sub-attributes; 'userName' is not one/],
    ['name[nick eq "x"]', /unknown attribute 'nick' at column 6 in the filter on 'name'/],
    ['emails[foo eq "x"]', /unknown attribute 'foo' at column 8 in the filter on 'emails'/],
    ['userName gt null', /cannot compare with null/],
    ['urn:example:custom:1.0:User:foo eq "x"', /unknown attribute/],
  ])('rejects %s with invalidFilter', (text, detail) => {
    const e = scimErrorOf(() => bound(text));
    expect(e).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    expect(e.detail).toMatch(detail);
  });
});

describe(matchesFilter.name, () => {
  const user: ScimResource = {
    schemas: [URN.User, URN.EnterpriseUser],
    id: '2819c223-7f76-453a-919d-413861904646',
    externalId: 'bjensen',
    userName: 'bjensen',
    active: true,
    name: { familyName: 'Jensen', givenName: 'Barbara' },
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    [URN.EnterpriseUser]: { department: 'Sales', manager: { value: 'm1' } },
    meta: { created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z' },
    profileUrl: 'https://example.com/Babs',
    x509Certificates: [{ value: 'MIIDQzCC' }],
  };

  it.each<[string, boolean]>([
    ['userName eq "BJENSEN"', true],
    ['externalId eq "BJENSEN"', false],
    ['emails.value co "JENSEN.org"', true],
    ['emails co "example.com"', true],
    ['emails[type eq "work" and value co "jensen.org"]', false],
    ['emails.type eq "work" and emails.value co "jensen.org"', true],
    ['emails[primary eq "true"]', true],
    ['emails.type ne "work"', true],
    ['title pr', false],
    ['title ne "x"', false],
    ['not (title eq "x")', true],
    ['emails pr', true],
    ['ims pr', false],
    ['name pr', true],
    ['active eq "true"', true],
    ['meta.created lt "2010-01-23T05:00:00+00:30"', false],
    ['meta.created gt "2010-01-23T05:00:00+01:00"', true],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    [`${URN.EnterpriseUser}:department eq "sales"`, true],
    [`${URN.EnterpriseUser}:manager.value eq "m1"`, true],
    [`${URN.EnterpriseUser}:manager eq "M1"`, true],
    [`schemas eq "${URN.EnterpriseUser.toUpperCase()}"`, true],
    ['userName sw "bj" and (name.familyName ew "sen" or title pr)', true],
    ['name[givenName eq "barbara"]', true],
    ['name[givenName eq "Babs"]', false],
    ['name[givenName sw "B" and familyName eq "Jensen"]', true],
    ['userName gt "bjensem" and userName lt "bjenseo"', true],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    // RFC 7643 §2.3.6–2.3.7: binary and reference values are case exact.
    ['profileUrl eq "https://example.com/Babs"', true],
    ['profileUrl eq "https://example.com/babs"', false],
    ['x509Certificates.value eq "MIIDQzCC"', true],
    ['x509Certificates.value eq "miidqzcc"', false],
  ])('%s → %s', (text, expected) => {
    expect(matchesFilter(user, bindFilter(parseFilter(text), 'User'))).toBe(expected);
  });
});
