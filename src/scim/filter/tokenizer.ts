import { ScimError } from '../errors';

/** `bare` is an unquoted value after a comparison operator (see Tokenizer.value). */
export type TokenKind = '(' | ')' | '[' | ']' | '.' | 'word' | 'string' | 'number' | 'bare' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 1-based column. */
  readonly pos: number;
}

const WORD = /[A-Za-z_$][\w$:.-]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const BARE = /[^\s()[\]"]+/y;
const WHOLE_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const KEYWORD_VALUE = /^(?:true|false|null)$/i;

/**
 * Splits filter or path text into tokens on demand, so that the parser can say where a value is expected; `fail`
 * chooses the scimType (invalidFilter, or invalidPath in PATCH).
 */
export class Tokenizer {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly fail: (detail: string) => ScimError,
  ) {}

  /** The next token where an attribute path, an operator, a keyword or punctuation is expected. */
  next(): Token {
    const start = this.skipSpace();
    if (start === undefined) {
      return this.end();
    }
    const c = this.text.charAt(start);
    if ('()[].'.includes(c)) {
      return this.take(c as TokenKind, c);
    }
    for (const [kind, re] of [
      ['word', WORD],
      ['number', NUMBER],
      ['string', STRING],
    ] as const) {
      const m = this.match(re);
      if (m !== undefined) {
        return this.take(kind, m);
      }
    }
    throw this.unexpected(c, start);
  }

  /**
   * The token after a comparison operator. RFC 7644 wants string values quoted, but Entra (Microsoft Learn's
   * `externalId eq jyoung`) and Microsoft's SCIMReferenceCode tests (`userName sw O`, `userType eq Employee`) send
   * them bare. So the value is:
   * - a quoted JSON string, exactly as before;
   * - otherwise the maximal run of characters other than whitespace, `(`, `)`, `[`, `]` and `"` (so `a@b.c`, `abc-123`,
   *   `O'Malley` and `2011-05-13T04:42:34Z` are single values, and `)` or `]` closes the group as usual). That run is a
   *   number if it is a whole JSON number (`123`, `-1.5e2`), true/false/null if it is one of those words in any case,
   *   and otherwise a string (`0123`, `1.0.0`, `+1`, `jyoung`). A run that starts with `'` is refused: single quotes are
   *   not SCIM's, and reading them as part of the value would silently match nothing.
   * A number or boolean then binds to a string attribute as its text (`externalId eq 123` compares with "123").
   */
  value(): Token {
    const start = this.skipSpace();
    if (start === undefined) {
      return this.end();
    }
    const c = this.text.charAt(start);
    if (c === '"') {
      const m = this.match(STRING);
      if (m === undefined) {
        throw this.unexpected(c, start);
      }
      return this.take('string', m);
    }
    if (c === "'") {
      throw this.unexpected(c, start);
    }
    const m = this.match(BARE);
    if (m === undefined) {
      return this.next(); // punctuation, which the parser reports as a missing value
    }
    return this.take(WHOLE_NUMBER.test(m) ? 'number' : KEYWORD_VALUE.test(m) ? 'word' : 'bare', m);
  }

  /** The position of the next non-space character, or undefined at the end of the text. */
  private skipSpace(): number | undefined {
    while (this.i < this.text.length && /\s/.test(this.text.charAt(this.i))) {
      this.i++;
    }
    return this.i < this.text.length ? this.i : undefined;
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.i;
    return re.exec(this.text)?.[0];
  }

  private take(kind: TokenKind, text: string): Token {
    const token = { kind, text, pos: this.i + 1 };
    this.i += text.length;
    return token;
  }

  private end(): Token {
    return { kind: 'end', text: '', pos: this.text.length + 1 };
  }

  private unexpected(c: string, at: number): ScimError {
    return this.fail(
      c === '"' ? `unterminated or malformed string starting at column ${at + 1}` : `unexpected character '${c}' at column ${at + 1}`,
    );
  }
}
