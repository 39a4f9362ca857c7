import fc from 'fast-check';
import { codePointOrder, foldCase } from './matches-filter';

/** foldCase's definition (what PostgreSQL's lower() does): each code point lowered alone, first code point kept. */
const foldEach = (s: string): string => Array.from(s, (c) => String.fromCodePoint(c.toLowerCase().codePointAt(0) ?? 0)).join('');

/** codePointOrder's definition: compare the code point sequences. */
const orderOf = (a: string, b: string): number => {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      return (x[i] ?? 0) - (y[i] ?? 0);
    }
  }
  return x.length - y.length;
};

describe(foldCase.name, () => {
  it('relies on no code point but U+0130 lowering to more than one code point', () => {
    // Then, Σ aside (Final_Sigma, replaced first), foldCase's toLowerCase lowers each code point to exactly one, as
    // the definition does. Checked on all of Unicode at once: no code point lowers to none, so counting suffices.
    const chunks: string[] = [];
    for (let from = 0; from < 0x110000; from += 0x1000) {
      const block: number[] = [];
      for (let c = from; c < from + 0x1000; c++) {
        if (c < 0xd800 || c > 0xdfff) {
          block.push(c);
        }
      }
      chunks.push(String.fromCodePoint(...block));
    }
    const all = chunks.join('');
    const codePoints = (s: string) => {
      let n = s.length;
      for (let i = 0; i < s.length; i++) {
        const u = s.charCodeAt(i);
        n -= u >= 0xd800 && u <= 0xdbff ? 1 : 0;
      }
      return n;
    };
    expect(codePoints(all.toLowerCase())).toBe(codePoints(all) + 1);
    expect(codePoints(all.replace('\u0130', '').toLowerCase())).toBe(codePoints(all) - 1);
  });

  it('folds Latin, Greek and Cyrillic as its definition does after a letter and before a space or a letter', () => {
    // The contexts of Final_Sigma, the one context-dependent rule of String#toLowerCase, in the scripts it concerns.
    const parts: string[] = [];
    for (const [from, to] of [
      [0x0000, 0x052f],
      [0x1e00, 0x1fff],
    ] as const) {
      for (let c = from; c <= to; c++) {
        const s = String.fromCharCode(c);
        parts.push(`A${s} ${s}Σb`);
      }
    }
    const all = parts.join('');
    expect(foldCase(all) === foldEach(all)).toBe(true);
  });

  it.each(['ΣΑΣ', 'ΌΣΟΣ ΣΑΣ.', 'İstanbul', 'aİb', 'Σ', 'xΣ', 'ΣΣ', '\ud800Σ\udc00', 'A\u0301Σ', 'ß', 'ǅ', 'ﬃ', '𐐀'])(
    'folds %j as lower() does',
    (s) => {
      expect(foldCase(s)).toBe(foldEach(s));
    },
  );

  it('agrees with its definition on random text', () => {
    // Code points drawn directly: fast-check's 'binary' unit builds a table that takes seconds.
    const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
    const unit = fc.oneof(fc.constantFrom('Σ', 'σ', 'İ', 'I', 'a', ' ', '.', '\u0301'), anyCodePoint);
    const text = fc.array(unit, { maxLength: 12 }).map((u) => u.join(''));
    fc.assert(
      fc.property(text, (s) => foldCase(s) === foldEach(s)),
      { numRuns: 500 },
    );
  });
});

describe(codePointOrder.name, () => {
  it('orders as the code point sequences do, surrogates and lone surrogates included', () => {
    const unit = fc.constantFrom('a', 'b', '\uffff', '\ue000', '\ud800', '\udbff', '\udc00', '\udfff', '𐀀', '𐀁', '\u{10ffff}');
    const text = fc.array(unit, { maxLength: 6 }).map((u) => u.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => Math.sign(codePointOrder(a, b)) === Math.sign(orderOf(a, b))),
      { numRuns: 2000 },
    );
  });
});
