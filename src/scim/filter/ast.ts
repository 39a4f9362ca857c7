import { ResolvedPath } from '../schema/registry';

/** RFC 7644 §3.4.2.2 Table 3 comparison operators. */
export const COMPARE_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

/** An attribute path as written in the request, with its 1-based column for error details. */
export interface AttrPath {
  readonly text: string;
  readonly pos: number;
}

export type Literal = string | number | boolean | null;

/** The filter AST, generic over the path and literal types so that parsed and bound filters share one shape. */
export type FilterOf<P, V> =
  | { readonly op: 'and' | 'or'; readonly left: FilterOf<P, V>; readonly right: FilterOf<P, V> }
  | { readonly op: 'not'; readonly filter: FilterOf<P, V> }
  | { readonly op: 'pr'; readonly path: P }
  /** One node for every comparison, so that each operator's meaning lives in one place per evaluator. */
  | { readonly op: 'compare'; readonly operator: CompareOp; readonly path: P; readonly value: V }
  /** `emails[type eq "work"]`: the inner filter is tested against each value of a multi-valued complex attribute. */
  | { readonly op: 'valuePath'; readonly path: P; readonly filter: FilterOf<P, V> };

/** Output of parseFilter: syntax only. */
export type Filter = FilterOf<AttrPath, Literal>;

/**
 * Output of bindFilter: paths resolved against a resource type and literals coerced to the attribute's type.
 * Inside a valuePath, paths name the sub-attribute of the enclosing attribute (`emails.type`). Comparisons always
 * target a simple attribute; `null` literals have been rewritten to `pr`.
 */
export type BoundFilter = FilterOf<ResolvedPath, string | number | boolean>;

export function assertNever(x: never): never {
  throw new Error(`Unexpected value ${JSON.stringify(x)}`);
}
