import { ScimError } from './errors';
import { MAX_JSON_DEPTH } from './limits';

/**
 * Keys that name JavaScript's prototype machinery. JSON.parse stores them as plain own keys, but any later
 * `Object.assign`, `target[key] = …` or merge that copies them can change an object's prototype; no SCIM attribute
 * or sensible team setting has these names, so they are rejected rather than silently dropped.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const tooDeep = () =>
  ScimError.invalidSyntax(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels; at most ${MAX_JSON_DEPTH} are allowed`);

/**
 * Checks a parsed JSON body before anything else walks it: no deeper than MAX_JSON_DEPTH containers (the body itself
 * is level 1), and no key `__proto__`, `constructor` or `prototype` in any object. Every recursive walk after this one
 * (validation, coercion, cloning, comparing, logging) is then safe from stack overflow. The walk itself uses an
 * explicit stack, so any input, however deep, gets the 400 and never a RangeError.
 */
export function checkJsonShape(value: unknown): void {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [v, depth] = next;
    if (typeof v !== 'object' || v === null) {
      continue;
    }
    if (depth > MAX_JSON_DEPTH) {
      throw tooDeep();
    }
    if (Array.isArray(v)) {
      for (const x of v) {
        stack.push([x, depth + 1]);
      }
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) {
        throw ScimError.invalidSyntax(`The JSON body has the key '${key}', which is not allowed in any object`);
      }
      stack.push([(v as Record<string, unknown>)[key], depth + 1]);
    }
  }
}

/**
 * The nesting depth of JSON text, read without parsing: brackets outside strings. V8's JSON.parse does not overflow,
 * but it spends ~0.5 s on a 1 MB body of `[[[…]]]`; this scan stops at the first bracket past the limit.
 */
function exceedsDepth(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++; // the escaped character, which may be a quote
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        return true;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/**
 * Parses a request body as JSON and checks its shape (checkJsonShape). Invalid JSON is 400 invalidSyntax; a parser
 * that overflows its stack (V8's does not, other engines may) counts as nesting too deep, never as a 500.
 */
export function parseJson(text: string): unknown {
  // A leading byte order mark is not JSON, but Fastify's parser has always skipped it.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (exceedsDepth(json)) {
    throw tooDeep();
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw e instanceof RangeError ? tooDeep() : ScimError.invalidSyntax('The request body is not valid JSON');
  }
  checkJsonShape(value);
  return value;
}
