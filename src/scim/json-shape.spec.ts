import { scimErrorOf } from '../../test/support/scim-error-of';
import { checkJsonShape, parseJson } from './json-shape';
import { MAX_JSON_DEPTH } from './limits';

/** JSON text of `[…]` or `{"a":…}` nested `depth` levels around `1`. */
const arrays = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const mixed = (depth: number) => `${'{"a":['.repeat(depth / 2)}1${']}'.repeat(depth / 2)}`;

/** The same nesting built in memory, without text, as a caller of the core could pass it. */
const deepValue = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) {
    v = i % 2 ? [v] : { a: v };
  }
  return v;
};

const TOO_DEEP = { status: 400, scimType: 'invalidSyntax', detail: expect.stringMatching(/deeper than 64 levels/) };

describe(parseJson.name, () => {
  it.each<[string, string]>([
    ['arrays 64 levels deep', arrays(MAX_JSON_DEPTH)],
    ['objects 64 levels deep', objects(MAX_JSON_DEPTH)],
    ['arrays and objects 64 levels deep', mixed(MAX_JSON_DEPTH)],
    ['brackets inside strings, which do not nest', `{"a":"${'['.repeat(1000)}","b":"\\"[[[[\\\\"}`],
    ['a byte order mark before the body', '\ufeff{"a":1}'],
    ['a scalar', '"x"'],
  ])('accepts %s', (_name, text) => {
    expect(() => parseJson(text)).not.toThrow();
  });

  it.each<[string, string]>([
    ['arrays 65 levels deep', arrays(MAX_JSON_DEPTH + 1)],
    ['objects 65 levels deep', objects(MAX_JSON_DEPTH + 1)],
    ['arrays and objects 66 levels deep', mixed(MAX_JSON_DEPTH + 2)],
    ['100,000 levels', arrays(100_000)],
    ['a 1 MB body of [[[[… (not even valid JSON)', '['.repeat(1_000_000)],
    ['a 1 MB body of [[[[…]]]] (valid JSON)', arrays(500_000)],
  ])('rejects %s with 400 invalidSyntax naming the limit, never a RangeError', (_name, text) => {
    expect(scimErrorOf(() => parseJson(text))).toMatchObject(TOO_DEEP);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('rejects the key %s at any depth, naming it', (key) => {
    for (const text of [`{"${key}":{}}`, `{"a":[{"b":{"${key}":1}}]}`, `[{"${key}":null}]`]) {
      const e = scimErrorOf(() => parseJson(text));
      expect(e).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
      expect(e.detail).toContain(`'${key}'`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['__proto__x', 'Constructor', 'proto', 'prototypes', 'value'])('accepts the key %s', (key) => {
    expect(parseJson(`{"${key}":1}`)).toEqual({ [key]: 1 });
  });

  it.each(['{"a":', '{"a":1,}', "{'a':1}", '[1 2]', 'nul'])('answers invalid JSON %s with 400 invalidSyntax', (text) => {
    expect(scimErrorOf(() => parseJson(text))).toMatchObject({
      status: 400,
      scimType: 'invalidSyntax',
      detail: 'The request body is not valid JSON',
    });
  });

  it('reads a stack overflow of the parser (V8 has none; other engines may) as nesting too deep', () => {
    const parse = jest.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    try {
      expect(scimErrorOf(() => parseJson('[1]'))).toMatchObject(TOO_DEEP);
    } finally {
      parse.mockRestore();
    }
  });
});

describe(checkJsonShape.name, () => {
  it('walks any depth without recursion', () => {
    expect(scimErrorOf(() => checkJsonShape(deepValue(200_000)))).toMatchObject(TOO_DEEP);
    expect(() => checkJsonShape(deepValue(MAX_JSON_DEPTH))).not.toThrow();
    expect(scimErrorOf(() => checkJsonShape(deepValue(MAX_JSON_DEPTH + 1)))).toMatchObject(TOO_DEEP);
  });

  it('checks keys of objects inside arrays and after many siblings', () => {
    const wide = { list: Array.from({ length: 10_000 }, (_, i) => ({ [`k${i}`]: i })) };
    expect(() => checkJsonShape(wide)).not.toThrow();
    wide.list.push(JSON.parse('{"__proto__":1}') as Record<string, number>);
    expect(scimErrorOf(() => checkJsonShape(wide)).detail).toContain("'__proto__'");
  });
});
