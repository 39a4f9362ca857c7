import { escapeLike, filterToSql } from '../database/filter-to-sql';
import { bindFilter, parseFilter, ScimError, URN } from '../scim';
import { userFilterSql } from './users.repository';

const sql = (text: string, offset = 0) => userFilterSql(bindFilter(parseFilter(text), 'User'), offset);
const ent = URN.EnterpriseUser;

describe(filterToSql.name, () => {
  it.each<[string, string, unknown[]]>([
    ['userName eq "Bjensen"', 'lower(u.user_name) = lower($1::text)', ['Bjensen']],
    ['externalId eq "X"', 'u.external_id = $1::text', ['X']],
    ['userName sw "a%b_c\\\\"', "lower(u.user_name) LIKE lower($1::text) ESCAPE '\\'", ['a\\%b\\_c\\\\%']],
    ['displayName co "x"', "lower(u.display_name) LIKE lower($1::text) ESCAPE '\\'", ['%x%']],
    ['userName gt "m"', 'lower(u.user_name) > lower($1::text) COLLATE "C"', ['m']],
    ['active eq "false"', 'u.active = $1::boolean', [false]],
    // dateTimes compare at the millisecond precision clients see, as ranges on the stored microseconds.
    ['meta.created ge "2011-05-13T04:42:34Z"', "u.created >= date_trunc('milliseconds', $1::timestamptz)", ['2011-05-13T04:42:34.000Z']],
    [
      'meta.lastModified gt "2011-05-13T04:42:34.5Z"',
      "u.last_modified >= (date_trunc('milliseconds', $1::timestamptz) + interval '1 millisecond')",
      ['2011-05-13T04:42:34.500Z'],
    ],
    [
      'meta.created eq "2011-05-13T04:42:34Z"',
      "(u.created >= date_trunc('milliseconds', $1::timestamptz) AND u.created < (date_trunc('milliseconds', $1::timestamptz) + interval '1 millisecond'))",
      ['2011-05-13T04:42:34.000Z'],
    ],
    // The emails column is folded on write; the literal is folded the same way (foldCase), not by lower().
    ['emails.value eq "İ@X.org"', 'u.emails @> ARRAY[$1::text]', ['i@x.org']],
    ['emails co "X.org"', "EXISTS (SELECT 1 FROM unnest(u.emails) AS m(v) WHERE m.v LIKE $1::text ESCAPE '\\')", ['%x.org%']],
    ['id eq "2819c223-7f76-453a-919d-413861904646"', 'u.id = $1::uuid', ['2819c223-7f76-453a-919d-413861904646']],
    ['id eq "not-a-uuid"', 'FALSE', []],
    ['name.familyName eq "J"', "lower(u.data->'name'->>'familyName') = lower($1::text)", ['J']],
    [`${ent}:department eq "Sales"`, `lower(u.data->'${ent}'->>'department') = lower($1::text)`, ['Sales']],
    ['title pr', "u.data->>'title' <> ''", []],
    ['emails pr', "jsonb_array_length(u.data->'emails') > 0", []],
    [
      'emails.primary eq "true"',
      "EXISTS (SELECT 1 FROM jsonb_array_elements(u.data->'emails') AS e1(v) WHERE (e1.v->>'primary')::boolean = $1::boolean)",
      [true],
    ],
    [
      'emails[type eq "work" and value co "@x"]',
      "EXISTS (SELECT 1 FROM jsonb_array_elements(u.data->'emails') AS e1(v) WHERE (lower(e1.v->>'type') = lower($1::text) AND lower(e1.v->>'value') LIKE lower($2::text) ESCAPE '\\'))",
      ['work', '%@x%'],
    ],
    [
      'not (userName eq "a") or active eq true',
      '(NOT COALESCE(lower(u.user_name) = lower($1::text), false) OR u.active = $2::boolean)',
      ['a', true],
    ],
    [
      `schemas eq "${ent}"`,
      "EXISTS (SELECT 1 FROM jsonb_array_elements_text(u.data->'schemas') AS s(v) WHERE lower(s.v) = lower($1::text))",
      [ent],
    ],
  ])('%s', (filter, text, params) => {
    expect(sql(filter)).toEqual({ sql: text, params });
  });

  it('numbers parameters from the offset', () => {
    expect(sql('userName eq "a" and displayName eq "b"', 3).sql).toBe(
      '(lower(u.user_name) = lower($4::text) AND lower(u.display_name) = lower($5::text))',
    );
  });

  it('never puts a value in the SQL text', () => {
    const evil = "x'); DROP TABLE users; --";
    for (const f of [
      `userName eq "${evil}"`,
      `name.givenName co "${evil}"`,
      `emails[value sw "${evil}"]`,
      `${ent}:manager.value eq "${evil}"`,
    ]) {
      const out = sql(f);
      expect(out.sql).not.toContain('DROP');
      expect(JSON.stringify(out.params)).toContain('DROP');
    }
  });

  it.each(['meta.version eq "1"', `${ent}:manager.displayName eq "x"`])('rejects unmapped readOnly %s', (f) => {
    expect(() => sql(f)).toThrow(ScimError);
  });

  it('answers groups.value from the membership table, by a bound uuid', () => {
    const id = '0b6a3e2c-1111-4222-8333-944445555666';
    expect(sql(`groups.value eq "${id.toUpperCase()}"`)).toEqual({
      sql: 'EXISTS (SELECT 1 FROM group_members gm WHERE gm.user_id = u.id AND gm.group_id = $1::uuid)',
      params: [id],
    });
    expect(sql('groups.value eq "not-a-uuid"')).toEqual({ sql: 'FALSE', params: [] });
  });

  it('escapes LIKE metacharacters', () => expect(escapeLike('50%_\\')).toBe('50\\%\\_\\\\'));
});
