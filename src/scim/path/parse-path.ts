import { ScimError } from '../errors';
import { AttrPath, Filter } from '../filter/ast';
import { FilterParser } from '../filter/parse-filter';

/** RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr], e.g. `emails[type eq "work"].value`. */
export interface ParsedPath {
  readonly attribute: AttrPath;
  readonly filter?: Filter;
  readonly sub?: AttrPath;
}

export function parsePath(text: string): ParsedPath {
  const p = new FilterParser(text, ScimError.invalidPath);
  const attribute = p.attrPath();
  if (!p.accept('[')) {
    p.expect('end', "'[' or the end of the path");
    return { attribute };
  }
  const filter = p.expression(true);
  p.expect(']', "']' closing the value filter");
  const sub = p.accept('.') ? p.attrPath() : undefined;
  p.expect('end', 'the end of the path');
  return { attribute, filter, sub };
}
