/*
 * Own parser rather than scim2-parse-filter@0.2.10: it throws bare `Error`s without a column, turns
 * the PATCH form `emails[type eq "work"].value` into an `and` of two filters instead of a path plus sub-attribute,
 * and returns an untyped AST that would need a second walk anyway to bind it to the schema (types, caseExact). The
 * grammar (RFC 7644 §3.4.2.2, Figure 1) is small; one recursive-descent parser serves filters and PATCH paths
 * (../path/parse-path.ts), and errors carry the right scimType and a column.
 */
import { ScimError } from '../errors';
import { AttrPath, COMPARE_OPS, CompareOp, Filter, Literal } from './ast';
import { Token, TokenKind, Tokenizer } from './tokenizer';

/** Limits that keep recursion (here, in binding and in SQL) bounded; IdP filters use a handful of terms. */
const MAX_DEPTH = 32;
const MAX_TERMS = 200;

const isKeyword = (t: Token, k: string) => t.kind === 'word' && t.text.toLowerCase() === k;

const describe = (t: Token) => (t.kind === 'end' ? 'the end of the text' : `'${t.text}'`);

export class FilterParser {
  private readonly tokenizer: Tokenizer;
  /** Tokens read so far; the tokenizer runs only as far as the parser has looked, so a value is read as one. */
  private readonly tokens: Token[] = [];
  private i = 0;

  private depth = 0;
  private terms = 0;

  constructor(
    text: string,
    private readonly fail: (detail: string) => ScimError,
  ) {
    this.tokenizer = new Tokenizer(text, fail);
  }

  /** filter = orExpr; precedence not > and > or (RFC 7644 §3.4.2.2). */
  expression(inValuePath = false): Filter {
    let left = this.conjunction(inValuePath);
    while (isKeyword(this.peek(), 'or')) {
      this.i++;
      left = { op: 'or', left, right: this.conjunction(inValuePath) };
    }
    return left;
  }

  attrPath(): AttrPath {
    const t = this.peek();
    if (t.kind !== 'word') {
      throw this.error('an attribute path', t);
    }
    this.i++;
    return { text: t.text, pos: t.pos };
  }

  accept(kind: TokenKind): boolean {
    if (this.peek().kind !== kind) {
      return false;
    }
    this.i++;
    return true;
  }

  expect(kind: TokenKind, what: string): void {
    if (!this.accept(kind)) {
      throw this.error(what, this.peek());
    }
  }

  private conjunction(inValuePath: boolean): Filter {
    let left = this.unary(inValuePath);
    while (isKeyword(this.peek(), 'and')) {
      this.i++;
      left = { op: 'and', left, right: this.unary(inValuePath) };
    }
    return left;
  }

  private unary(inValuePath: boolean): Filter {
    const start = this.peek();
    if (isKeyword(start, 'not') || start.kind === '(') {
      if (++this.depth > MAX_DEPTH) {
        throw this.fail(`the filter nests deeper than ${MAX_DEPTH} levels at column ${start.pos}`);
      }
      this.i++;
      const inner = start.kind === '(' ? this.expression(inValuePath) : { op: 'not' as const, filter: this.unary(inValuePath) };
      if (start.kind === '(') {
        this.expect(')', "')'");
      }
      this.depth--;
      return inner;
    }
    return this.attributeExpression(inValuePath);
  }

  private attributeExpression(inValuePath: boolean): Filter {
    if (++this.terms > MAX_TERMS) {
      throw this.fail(`the filter has more than ${MAX_TERMS} comparisons; split it into several requests`);
    }
    const path = this.attrPath();
    if (this.peek().kind === '[') {
      if (inValuePath) {
        throw this.fail(`nested value filter at column ${this.peek().pos}: a '[' filter cannot contain another`);
      }
      this.i++;
      const filter = this.expression(true);
      this.expect(']', "']' closing the value filter");
      return { op: 'valuePath', path, filter };
    }
    const opTok = this.peek();
    const op = opTok.kind === 'word' ? opTok.text.toLowerCase() : '';
    if (op === 'pr') {
      this.i++;
      return { op: 'pr', path };
    }
    if (!(COMPARE_OPS as readonly string[]).includes(op)) {
      throw this.error(`an operator (${COMPARE_OPS.join(', ')}, pr) after '${path.text}'`, opTok);
    }
    this.i++;
    return { op: 'compare', operator: op as CompareOp, path, value: this.literal() };
  }

  /** A comparison value: quoted, or bare as Tokenizer.value describes. */
  private literal(): Literal {
    if (this.tokens.length === this.i) {
      this.tokens.push(this.tokenizer.value());
    }
    const t = this.peek();
    this.i++;
    switch (t.kind) {
      case 'string':
        return JSON.parse(t.text) as string;
      case 'bare':
        return t.text;
      case 'number':
        return Number(t.text);
      case 'word': {
        const k = t.text.toLowerCase();
        if (k === 'true' || k === 'false') {
          return k === 'true';
        }
        if (k === 'null') {
          return null;
        }
        break;
      }
      case '(':
      case ')':
      case '[':
      case ']':
      case '.':
      case 'end':
        break;
    }
    this.i--;
    throw this.error('a value (a "string", a number, true, false, null or an unquoted word)', t);
  }

  private peek(): Token {
    while (this.tokens.length <= this.i && this.tokens.at(-1)?.kind !== 'end') {
      this.tokens.push(this.tokenizer.next());
    }
    return this.tokens[Math.min(this.i, this.tokens.length - 1)]!;
  }

  private error(what: string, t: Token): ScimError {
    return this.fail(`expected ${what} at column ${t.pos} but found ${describe(t)}`);
  }
}

/** Parses a filter (RFC 7644 §3.4.2.2); throws ScimError invalidFilter naming the column. */
export function parseFilter(text: string): Filter {
  const p = new FilterParser(text, ScimError.invalidFilter);
  const filter = p.expression();
  p.expect('end', "'and', 'or' or the end of the filter");
  return filter;
}
