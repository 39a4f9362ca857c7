import { ScimError } from '../errors';

export type TokenKind = '(' | ')' | '[' | ']' | '.' | 'word' | 'string' | 'number' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 1-based column. */
  readonly pos: number;
}

const PATTERNS: readonly [TokenKind, RegExp][] = [
  ['word', /[A-Za-z_$][\w$:.-]*/y],
  ['number', /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y],
  ['string', /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y],
];

/** Splits filter or path text into tokens; `fail` chooses the scimType (invalidFilter, or invalidPath in PATCH). */
export function tokenize(text: string, fail: (detail: string) => ScimError): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if ('()[].'.includes(c)) {
      tokens.push({ kind: c as TokenKind, text: c, pos: i + 1 });
      i++;
      continue;
    }
    const hit = PATTERNS.map(([kind, re]) => {
      re.lastIndex = i;
      return { kind, m: re.exec(text) };
    }).find((p) => p.m);
    if (!hit?.m) {
      throw fail(
        c === '"' ? `unterminated or malformed string starting at column ${i + 1}` : `unexpected character '${c}' at column ${i + 1}`,
      );
    }
    tokens.push({ kind: hit.kind, text: hit.m[0], pos: i + 1 });
    i += hit.m[0].length;
  }
  tokens.push({ kind: 'end', text: '', pos: text.length + 1 });
  return tokens;
}
