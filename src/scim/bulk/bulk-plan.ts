import { ScimError } from '../errors';
import { isObject } from '../schema/coerce';
import { BulkOperation, ParsedBulkOperation } from './bulk-request';

const PREFIX = 'bulkId:';

/** The bulkId a value references: a whole string value "bulkId:<id>" (RFC 7644 §3.7.2). */
const referenceIn = (value: unknown): string | undefined =>
  typeof value === 'string' && value.startsWith(PREFIX) && value.length > PREFIX.length ? value.slice(PREFIX.length) : undefined;

/**
 * `value` with every "bulkId:<id>" string replaced by `idOf(<id>)`, at any depth (member values, the enterprise
 * manager, any extension); keys are never references. Parts without a reference are returned as they are. The body
 * passed checkJsonShape, so the recursion is shallow.
 */
function replaceIn(value: unknown, idOf: (bulkId: string) => string): unknown {
  const bulkId = referenceIn(value);
  if (bulkId !== undefined) {
    return idOf(bulkId);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => replaceIn(v, idOf));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (isObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, replaceIn(v, idOf)] as const);
    return entries.some(([k, v]) => v !== value[k]) ? Object.fromEntries(entries) : value;
  }
  return value;
}

/** The bulkIds an operation references, in its path and its data, in order, each once. */
export function referencesOf(op: BulkOperation): string[] {
  const found = new Set<string>();
  const collect = (bulkId: string) => {
    found.add(bulkId);
    return bulkId;
  };
  replaceIn(op.id, collect);
  replaceIn(op.data, collect);
  return [...found];
}

/** One step of a bulk run: the operation at `index`, or, when it waits on a circular reference, its failure. */
export interface BulkStep {
  readonly index: number;
  /** The bulkIds of the cycle this operation is part of: it cannot run (RFC 7644 §3.7.1). */
  readonly circular?: readonly string[];
}

export interface BulkPlan {
  readonly steps: readonly BulkStep[];
  /** The bulkIds of the request's POSTs, valid or not: a reference to any other is unknown. */
  readonly posted: ReadonlySet<string>;
}

/**
 * The order in which to run a bulk request: each operation after the POSTs whose bulkIds it references, and otherwise
 * in request order (a POST moves up to just before the first operation that needs it). This is Tarjan's
 * strongly-connected-components walk, iterative (no recursion, however long a chain of references), linear in
 * operations plus references: it yields the components dependencies first. A component of more than one operation,
 * or an operation that references its own bulkId, is a circular reference; its operations fail with 409 (RFC 7644
 * §3.7.1 allows that rather than creating and then patching, which for teams would fail anyway: a team may not
 * contain itself). An operation that references an unknown bulkId still gets a step, and fails when it is resolved.
 */
export function planBulk(operations: readonly ParsedBulkOperation[]): BulkPlan {
  const creators = new Map<string, number>();
  const posted = new Set<string>();
  for (const op of operations) {
    if (op.method === 'POST' && op.bulkId !== undefined) {
      posted.add(op.bulkId);
      if (op.valid) {
        creators.set(op.bulkId, op.index);
      }
    }
  }
  const dependencies = operations.map((op) =>
    op.valid ? referencesOf(op).flatMap((b) => (creators.has(b) ? [creators.get(b) as number] : [])) : [],
  );
  const n = operations.length;
  const order = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const steps: BulkStep[] = [];
  let counter = 0;
  const enter = (v: number) => {
    order[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = true;
  };
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) {
      continue;
    }
    enter(root);
    const work = [{ v: root, next: 0 }];
    for (let frame = work.at(-1); frame !== undefined; frame = work.at(-1)) {
      const deps = dependencies[frame.v] as number[];
      const w = deps[frame.next++];
      if (w !== undefined) {
        if (order[w] === -1) {
          enter(w);
          work.push({ v: w, next: 0 });
        } else if (onStack[w]) {
          low[frame.v] = Math.min(low[frame.v] as number, order[w] as number);
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) {
        low[parent.v] = Math.min(low[parent.v] as number, low[frame.v] as number);
      }
      if (low[frame.v] !== order[frame.v]) {
        continue;
      }
      const component: number[] = [];
      for (let top = stack.pop(); top !== undefined; top = top === frame.v ? undefined : stack.pop()) {
        onStack[top] = false;
        component.push(top);
      }
      const only = component[0] as number;
      if (component.length === 1 && !(dependencies[only] as number[]).includes(only)) {
        steps.push({ index: only });
        continue;
      }
      const members = new Set(component);
      for (const index of component.sort((a, b) => a - b)) {
        const op = operations[index] as BulkOperation;
        steps.push({ index, circular: referencesOf(op).filter((b) => members.has(creators.get(b) as number)) });
      }
    }
  }
  return { steps, posted };
}

/** The failure of an operation that is part of a circular reference. */
export const circularReference = (circular: readonly string[]): ScimError =>
  ScimError.conflict(
    `The bulkId reference${circular.length === 1 ? '' : 's'} ${circular.map((b) => `"${PREFIX}${b}"`).join(', ')} cannot be resolved: ` +
      'the operations reference each other in a circle, so none of them can run first (RFC 7644 §3.7.1)',
  );

/**
 * The operation with its references replaced by the ids the POSTs of the request created (RFC 7644 §3.7.2), in its
 * path and its data. 409 when a reference cannot be resolved: its POST failed (or waits on a circle), or no POST of the
 * request has that bulkId.
 */
export function resolveReferences(op: BulkOperation, created: ReadonlyMap<string, string>, posted: ReadonlySet<string>): BulkOperation {
  const idOf = (bulkId: string): string => {
    const id = created.get(bulkId);
    if (id !== undefined) {
      return id;
    }
    throw ScimError.conflict(
      posted.has(bulkId)
        ? `The bulkId reference "${PREFIX}${bulkId}" cannot be resolved: the POST with that bulkId did not succeed`
        : `The bulkId reference "${PREFIX}${bulkId}" cannot be resolved: no POST in this request has that bulkId`,
    );
  };
  const id = op.id === undefined ? undefined : (replaceIn(op.id, idOf) as string);
  const data = replaceIn(op.data, idOf) as BulkOperation['data'];
  return id === op.id && data === op.data
    ? op
    : { ...op, id, data, target: id === undefined ? op.target : { resourceType: op.resourceType, id } };
}
