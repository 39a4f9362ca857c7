import fc from 'fast-check';
import { bindFilter, BoundFilter, matchesFilter, parseFilter, ScimError, ScimResource, URN } from '../../src/scim';
import { userFilterSql } from '../../src/users/users.repository';
import { createTestApp, TestApp } from '../support/app';
import { scimClient, USER } from '../support/scim';

/**
 * Property: for random filters over random users, PostgreSQL (filter-to-sql on the real, migrated `users` table) and
 * the in-memory evaluator (on the representation GET returns) select exactly the same users. The users are created
 * through POST /Users, so this also proves that the mapper writes the columns that filter-to-sql reads.
 */
const ent = URN.EnterpriseUser;

const words = ['alice', 'Alice', 'bob', 'BOB', 'a%b', 'x_y', 'back\\slash', "o'malley", 'zed', ''];
/**
 * Non-ASCII text where case folding and ordering are easy to get different in JavaScript and PostgreSQL: final sigma,
 * dotted capital I, astral characters (UTF-16 order differs from code-point order), fullwidth letters, ligatures.
 */
const unicodeWords = ['Émile', 'émile', 'ΣΑΣ', 'σας', 'İx', 'ix', '🦄', 'ｚ', 'Ａ', 'ß', 'SS', 'ﬁ', 'e\u0301'];
const emails = ['a@x.org', 'A@X.org', 'b@y.com', 'c%d@z.net', 'b_@y.com'];
const types = ['work', 'home', 'Work', 'other'];
const instants = ['2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.500Z', '2021-06-15T12:30:00.000Z', '2019-12-31T23:59:59.999Z'];
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const userArb = (vocabulary: readonly string[]) =>
  fc.record({
    displayName: optional(fc.constantFrom(...vocabulary)),
    active: fc.constantFrom(true, 'False', 'true', false),
    familyName: optional(fc.constantFrom(...vocabulary)),
    externalId: optional(fc.constantFrom(...vocabulary)),
    department: optional(fc.constantFrom(...vocabulary)),
    title: optional(fc.constantFrom(...vocabulary)),
    emails: fc
      .array(
        fc.record({
          value: optional(fc.constantFrom(...emails)),
          type: optional(fc.constantFrom(...types)),
          primary: optional(fc.boolean()),
        }),
        { maxLength: 3 },
      )
      .map((es) => es.map((e, i) => (i > 0 && e.primary ? { ...e, primary: false } : e))),
    // meta.created and meta.lastModified are server-assigned; these are written into the row after the POST.
    created: fc.constantFrom(...instants),
    lastModified: fc.constantFrom(...instants),
  });

const q = (v: unknown) => JSON.stringify(v);
const stringAttrs = [
  'userName',
  'displayName',
  'name.familyName',
  'externalId',
  `${ent}:department`,
  'emails.value',
  'emails.type',
  'emails',
  'title',
];
const allOps = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const asciiLiteral = fc.oneof(fc.constantFrom(...words, ...emails, ...types), fc.string({ maxLength: 3 }));
const unicodeLiteral = fc.oneof(
  fc.constantFrom(...unicodeWords, 'é', 'σ', 'ς', 'i', 'İ', 'z', 'ａ', 'fi'),
  fc.string({ unit: 'grapheme', maxLength: 2 }),
);

/** Literals that read the same unquoted: no whitespace, brackets, parentheses or quotes, and not a number or keyword. */
const bareLiteral = fc
  .constantFrom(...words, ...emails, ...types, ...unicodeWords)
  .filter((w) => /^[^\s()[\]"']+$/.test(w) && !/^(true|false|null|-?\d[\d.eE+-]*)$/i.test(w));

/** `@ID<n>@` stands for the id of the n-th user, `@IDU<n>@` for it in upper case, `@IDP<n>@` for its first 8 characters. */
const idLiteral = fc.tuple(fc.constantFrom('ID', 'IDU', 'IDP'), fc.nat(59)).map(([kind, n]) => `"@${kind}${n}@"`);

const filterArb = (stringLiteral: fc.Arbitrary<string>) => {
  const inner = fc.letrec<{ f: string }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(fc.constantFrom('type', 'value'), fc.constantFrom(...allOps), stringLiteral).map(([a, o, v]) => `${a} ${o} ${q(v)}`),
      fc.tuple(fc.constantFrom('eq', 'ne'), fc.constantFrom('true', '"False"', 'false')).map(([o, v]) => `primary ${o} ${v}`),
      fc.constantFrom('type pr', 'value pr', 'primary pr'),
      fc.tuple(tie('f'), fc.constantFrom('and', 'or'), tie('f')).map(([l, o, r]) => `(${l} ${o} ${r})`),
      tie('f').map((f) => `not (${f})`),
    ),
  }));

  return fc.letrec<{ f: string }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(fc.constantFrom(...stringAttrs), fc.constantFrom(...allOps), stringLiteral).map(([a, o, v]) => `${a} ${o} ${q(v)}`),
      // Unquoted values (Entra) and a value filter on the single-valued `name` (Entra) take the same paths to SQL.
      fc.tuple(fc.constantFrom(...stringAttrs), fc.constantFrom(...allOps), bareLiteral).map(([a, o, v]) => `${a} ${o} ${v}`),
      fc
        .tuple(fc.constantFrom(...allOps), fc.oneof(stringLiteral.map(q), bareLiteral))
        .map(([o, v]) => `name[familyName ${o} ${v}${v.length % 2 ? ' or familyName pr' : ''}]`),
      fc
        .tuple(fc.constantFrom('active', 'emails.primary'), fc.constantFrom('eq', 'ne'), fc.constantFrom('true', 'false', '"True"'))
        .map(([a, o, v]) => `${a} ${o} ${v}`),
      fc
        .tuple(
          fc.constantFrom('meta.created', 'meta.lastModified'),
          fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le'),
          fc.constantFrom(...instants, '2020-01-01T01:00:00+01:00', '2020-01-01T00:00:00'),
        )
        .map(([a, o, v]) => `${a} ${o} ${q(v)}`),
      fc.tuple(fc.constantFrom('eq', 'ne', 'sw', 'co', 'gt', 'le'), idLiteral).map(([o, v]) => `id ${o} ${v}`),
      fc.constantFrom(...stringAttrs, 'name', 'active', 'emails.primary', 'id').map((a) => `${a} pr`),
      fc.constantFrom(...stringAttrs).map((a) => `${a} eq null`),
      inner.f.map((f) => `emails[${f}]`),
      fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('f')).map(([l, o, r]) => `(${l} ${o} ${r})`),
      tie('f').map((f) => `not (${f})`),
    ),
  }));
};

describe('filter: SQL and memory agree on the real users table', () => {
  let t: TestApp;
  /** Users with ASCII text, and users with the non-ASCII vocabulary, as GET /Users represents them, in creation order. */
  let ascii: ScimResource[] = [];
  let all: ScimResource[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    const scim = scimClient(t, await t.token());
    const create = async (vocabulary: readonly string[], n: number, seed: number) => {
      const ids = new Set<string>();
      for (const [i, s] of fc.sample(userArb(vocabulary), { numRuns: n, seed }).entries()) {
        const res = await scim.post('/Users', {
          schemas: [USER],
          userName: `${vocabulary[i % vocabulary.length] || 'empty'}${i}`,
          displayName: s.displayName,
          active: s.active,
          title: s.title,
          externalId: s.externalId,
          name: { familyName: s.familyName },
          emails: s.emails,
          [ent]: { department: s.department },
        });
        expect({ i, status: res.status, body: res.body as unknown }).toMatchObject({ status: 201 });
        // Spread the server-assigned timestamps over known instants so that meta.* comparisons select something, with
        // sub-millisecond parts as PostgreSQL stores them (clients and the memory side see milliseconds).
        await t.sql(`UPDATE users SET created = $2::timestamptz + interval '417 microseconds', last_modified = $3 WHERE id = $1`, [
          res.body.id,
          s.created,
          s.lastModified,
        ]);
        ids.add(String(res.body.id));
      }
      return ids;
    };
    const asciiIds = await create(words, 60, 7);
    await create(unicodeWords, 26, 8);
    const list = await scim.get('/Users?count=200');
    expect(list.body.totalResults).toBe(86);
    all = list.body.Resources as ScimResource[];
    ascii = all.filter((u) => asciiIds.has(String(u.id)));
  });

  afterAll(() => t.close());

  const bind = (text: string): BoundFilter | undefined => {
    try {
      return bindFilter(parseFilter(text), 'User');
    } catch (e) {
      if (e instanceof ScimError) {
        return undefined;
      }
      throw e;
    }
  };

  /** Runs random filters over `users` in PostgreSQL (restricted to their ids) and in memory, and compares the ids. */
  const agree = async (users: readonly ScimResource[], literal: fc.Arbitrary<string>) => {
    const ids = users.map((u) => String(u.id));
    const withIds = (text: string) =>
      text.replace(/@ID(U|P)?(\d+)@/g, (_m, kind: string | undefined, n: string) => {
        const id = ids[Number(n) % ids.length] ?? '';
        return kind === 'U' ? id.toUpperCase() : kind === 'P' ? id.slice(0, 8) : id;
      });
    let compared = 0;
    let selective = 0;
    await fc.assert(
      fc.asyncProperty(filterArb(literal).f, async (template) => {
        const text = withIds(template);
        const filter = bind(text);
        fc.pre(filter !== undefined);
        compared++;
        const { sql, params } = userFilterSql(filter, 1);
        const rows = await t.sql<{ id: string }>(`SELECT u.id FROM users u WHERE u.id = ANY($1::uuid[]) AND ${sql}`, [ids, ...params]);
        const fromSql = rows.map((r) => r.id).sort();
        const fromMemory = users
          .filter((u) => matchesFilter(u, filter))
          .map((u) => String(u.id))
          .sort();
        expect({ text, ids: fromSql }).toEqual({ text, ids: fromMemory });
        selective += fromSql.length > 0 && fromSql.length < users.length ? 1 : 0;
      }),
      { numRuns: 600, seed: Number(process.env.FC_SEED ?? Date.now() % 100000) },
    );
    expect(compared).toBeGreaterThan(300);
    expect(selective).toBeGreaterThan(compared / 4);
  };

  it('reads back what POST stored, with the timestamps set for the test', () => {
    expect(ascii).toHaveLength(60);
    expect(all.every((u) => instants.includes(String((u.meta as { created: string }).created)))).toBe(true);
  });

  it('selects the same ids for random filters', async () => {
    await agree(ascii, asciiLiteral);
  });

  it('selects the same ids for random filters over non-ASCII text (case folding, code-point order)', async () => {
    await agree(all, fc.oneof(asciiLiteral, unicodeLiteral));
  });
});
