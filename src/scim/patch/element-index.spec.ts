import fc from 'fast-check';
import { ScimError } from '../errors';
import { foldCase } from '../filter/matches-filter';
import { AttributeDef, bool, complex, multiValuedComplex, schema, str } from '../schema/attribute';
import { coerceAttribute, isObject, isPrimary, jsonEqual, ScimResource } from '../schema/coerce';
import { ResourceType, userResourceType } from '../schema/registry';
import { URN } from '../urns';
import { applyPatch } from './apply-patch';
import { canonicalJson } from './element-index';

/*
 * The index must decide "same value" exactly as the pairwise definition did before it (RFC 7644 §3.5.2.1 add, and
 * remove with a value list): that definition, copied from the engine as it was, is the oracle here. Random add and
 * remove sequences run through applyPatch and through the oracle must end with the same values, or the same error.
 */

const equalUnder = (def: AttributeDef | undefined, a: unknown, b: unknown): boolean =>
  def && !def.caseExact && typeof a === 'string' && typeof b === 'string' ? foldCase(a) === foldCase(b) : jsonEqual(a, b);

function sameElement(attr: AttributeDef, stored: unknown, v: unknown): boolean {
  const valueDef = attr.subAttributes?.find((s) => s.name === 'value');
  if (!valueDef || !isObject(stored) || !isObject(v) || v.value === undefined) {
    return equalUnder(attr, stored, v);
  }
  const typed = stored.type !== undefined && v.type !== undefined;
  const typeDef = attr.subAttributes?.find((s) => s.name === 'type');
  return equalUnder(valueDef, stored.value, v.value) && (!typed || equalUnder(typeDef, stored.type, v.type));
}

function onePrimary(values: unknown[], written: unknown[]): unknown[] {
  const winner = written.filter(isPrimary).at(-1);
  return winner === undefined ? values : values.map((v) => (v !== winner && isPrimary(v) ? { ...(v as object), primary: false } : v));
}

interface Op {
  op: 'add' | 'remove';
  value: unknown[];
}

/** The engine's add and remove-by-list as they were: every incoming value compared with every stored one. */
function oracle(attr: AttributeDef, stored: unknown[], ops: Op[]): unknown[] {
  let values = stored;
  for (const { op, value } of ops) {
    const coerced = coerceAttribute(attr, value, attr.name, []);
    const incoming = Array.isArray(coerced) ? coerced : coerced === undefined ? [] : [coerced];
    if (op === 'remove') {
      values = values.filter((e) => !incoming.some((v) => sameElement(attr, e, v)));
      continue;
    }
    const next = [...values];
    const written = incoming.map((v) => {
      const i = next.findIndex((e) => sameElement(attr, e, v));
      if (i < 0) {
        next.push(v);
        return v;
      }
      const merged = isObject(next[i]) && isObject(v) ? { ...(next[i] as object), ...v } : next[i];
      next[i] = merged;
      return merged;
    });
    values = onePrimary(next, written);
  }
  return values;
}

const outcome = (run: () => unknown[]): unknown => {
  try {
    return run();
  } catch (e) {
    if (e instanceof ScimError) {
      return `${e.status} ${e.detail}`;
    }
    throw e;
  }
};

/** One attribute of each kind the identity distinguishes. */
const attributes = {
  emails: userResourceType.schema.attributes.find((a) => a.name === 'emails') as AttributeDef,
  keys: multiValuedComplex('keys', 'caseExact values', str('value', 'A key.', { caseExact: true }), ['a', 'b']),
  tags: str('tags', 'Simple values, not caseExact.', { multiValued: true }),
  codes: str('codes', 'Simple values, caseExact.', { multiValued: true, caseExact: true }),
  places: complex(
    'places',
    'No value sub-attribute: identified as a whole.',
    [str('type', 'Type.'), str('locality', 'Place.'), bool('primary', 'Primary.')],
    {
      multiValued: true,
    },
  ),
};
const rt: ResourceType = {
  ...userResourceType,
  schemaExtensions: [],
  schema: schema(URN.User, 'User', 'index test type', Object.values(attributes)),
};

const text = fc.constantFrom('a', 'A', 'b', 'B', 'é', 'É', 'ß', 'ΣΑΣ', 'σας', 'İ', 'i');
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const complexValue = fc
  .record({
    value: maybe(text),
    type: maybe(fc.constantFrom('a', 'A', 'b', 'work', 'WORK', 'home')),
    display: maybe(text),
    primary: fc.option(fc.constantFrom(false, true), { nil: undefined, freq: 1 }),
  })
  .map((v) => JSON.parse(JSON.stringify(v)) as object);
const placeValue = fc
  .record({ type: maybe(text), locality: maybe(text), primary: fc.option(fc.constantFrom(false, true), { nil: undefined, freq: 1 }) })
  .map((v) => JSON.parse(JSON.stringify(v)) as object);
const valueOf: Record<keyof typeof attributes, fc.Arbitrary<unknown>> = {
  emails: complexValue,
  keys: complexValue,
  tags: text,
  codes: text,
  places: placeValue,
};

describe('add and remove with a value list: the index agrees with the pairwise definition', () => {
  it.each(Object.keys(attributes) as (keyof typeof attributes)[])('on %s', (name) => {
    const attr = attributes[name];
    const list = fc.array(valueOf[name], { maxLength: 8 });
    const op = fc.record({ op: fc.constantFrom<'add' | 'remove'>('add', 'add', 'remove'), value: list });
    fc.assert(
      fc.property(list, fc.array(op, { minLength: 1, maxLength: 6 }), (raw, ops) => {
        // Stored values as the engine stores them (coerced), plus the odd value a complex attribute should not hold.
        const stored = oracle(attr, [], [{ op: 'add', value: raw }]);
        const expected = outcome(() => oracle(attr, stored, ops));
        const resource: ScimResource = { schemas: [URN.User], [name]: stored };
        const actual = outcome(
          () =>
            (applyPatch(
              resource,
              ops.map((o) => ({ ...o, path: name })),
              rt,
            ).resource[name] as unknown[]) ?? [],
        );
        expect(actual).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('treats stored values that are not objects like the definition did', () => {
    const stored = ['a', { value: 'a' }, 7, null, { type: 'work' }];
    const ops: Op[] = [
      { op: 'add', value: [{ value: 'A', type: 'work' }, { type: 'work' }] },
      { op: 'remove', value: [{ value: 'a' }] },
    ];
    const resource: ScimResource = { schemas: [URN.User], emails: stored };
    expect(
      applyPatch(
        resource,
        ops.map((o) => ({ ...o, path: 'emails' })),
        rt,
      ).resource.emails,
    ).toEqual(oracle(attributes.emails, stored, ops));
  });
});

describe('indexes kept from one operation to the next change no result', () => {
  // Each applyPatch call starts from a clone, so one call per operation never reuses an index: the same operations in
  // one call must give the same values, or fail with the same error.
  // Few distinct texts, so that later operations often meet the values earlier ones wrote.
  const few = fc.constantFrom('a', 'A', 'b');
  const small = fc
    .record({ value: maybe(few), type: maybe(fc.constantFrom('a', 'work')), display: maybe(few), primary: maybe(fc.boolean()) })
    .map((v) => JSON.parse(JSON.stringify(v)) as object);
  const place = fc.record({ type: maybe(few), primary: maybe(fc.boolean()) }).map((v) => JSON.parse(JSON.stringify(v)) as object);
  const filtered = fc.tuple(
    fc.constantFrom('emails[value eq "a"]', 'emails[type eq "work"]', 'places[type eq "a"]', 'places[type pr]'),
    fc.constantFrom('.display', '.primary', '.value', '.type', ''),
  );
  const operation = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constantFrom('add', 'add', 'remove'),
        path: fc.constant('emails'),
        value: fc.array(small, { maxLength: 3 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constantFrom('add', 'remove'), path: fc.constant('places'), value: fc.array(place, { maxLength: 3 }) }),
    },
    {
      weight: 3,
      arbitrary: filtered.chain(([p, sub]) =>
        fc.record({
          op: fc.constantFrom('add', 'replace'),
          path: fc.constant(`${p}${sub}`),
          value: sub === '.primary' ? fc.boolean() : sub === '' ? small : few,
        }),
      ),
    },
    { weight: 1, arbitrary: filtered.map(([p, sub]) => ({ op: 'remove', path: `${p}${sub === '.value' || sub === '.type' ? '' : sub}` })) },
  );
  it('on random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 12 }), (ops) => {
        const start: ScimResource = { schemas: [URN.User], emails: [{ value: 'a', type: 'work' }], places: [{ type: 'a', primary: true }] };
        const together = outcome(() => [applyPatch(start, ops, rt).resource]);
        const oneByOne = outcome(() => [ops.reduce((res, op) => applyPatch(res, [op], rt).resource, start)]);
        expect(together).toEqual(oneByOne);
      }),
      { numRuns: 400 },
    );
  });

  it('drops the index when a filter rewrites the value or type that identifies values', () => {
    const start: ScimResource = { schemas: [URN.User], emails: [{ value: 'a', type: 'work' }] };
    const ops = [
      { op: 'add', path: 'emails', value: [{ value: 'c' }] },
      { op: 'replace', path: 'emails[value eq "a"].value', value: 'b' },
      { op: 'add', path: 'emails', value: [{ value: 'B', display: 'x' }] },
    ];
    expect(applyPatch(start, ops, rt).resource.emails).toEqual([{ value: 'B', type: 'work', display: 'x' }, { value: 'c' }]);
  });

  it('drops the index when primary moves off a value identified as a whole', () => {
    const start: ScimResource = { schemas: [URN.User], places: [{ type: 'a', primary: true }] };
    const ops = [
      { op: 'add', path: 'places', value: [{ locality: 'b', primary: true }] },
      { op: 'add', path: 'places', value: [{ type: 'a', primary: false }] },
    ];
    expect(applyPatch(start, ops, rt).resource.places).toEqual([
      { type: 'a', primary: false },
      { locality: 'b', primary: true },
    ]);
  });
});

describe(canonicalJson.name, () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  it('is equal for two JSON values exactly when jsonEqual says they are', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(canonicalJson(a) === canonicalJson(b)).toBe(jsonEqual(a, b));
        const reordered = isObject(a) ? Object.fromEntries(Object.entries(a).reverse()) : a;
        expect(canonicalJson(reordered)).toBe(canonicalJson(a));
      }),
      { numRuns: 200 },
    );
  });
});
