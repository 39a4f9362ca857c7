import { ScimError } from '../errors';
import { checkOperationCount } from '../limits';
import { isObject } from '../schema/coerce';
import { sameName } from '../schema/registry';
import { URN } from '../urns';

export type PatchOpName = 'add' | 'remove' | 'replace';

/** One validated PATCH operation (RFC 7644 §3.5.2): `op` normalised to lower case, an empty path read as no path. */
export interface PatchOperation {
  readonly op: PatchOpName;
  readonly path?: string;
  readonly value?: unknown;
}

const OPS: readonly PatchOpName[] = ['add', 'remove', 'replace'];

/** Member names of the PatchOp message are matched case-insensitively too (`Op`, `Path`, `operations`). */
const field = (o: Record<string, unknown>, name: string): unknown => o[Object.keys(o).find((k) => sameName(k, name)) ?? name];

export function parseOperation(raw: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isObject(raw)) {
    throw ScimError.invalidSyntax(`${where} must be an object with "op", "path" and "value"`);
  }
  const name = field(raw, 'op');
  // Entra sends "Replace"/"Add"/"Remove".
  const op = typeof name === 'string' ? OPS.find((o) => sameName(o, name)) : undefined;
  if (!op) {
    throw ScimError.invalidSyntax(`${where}.op must be "add", "remove" or "replace"; got ${JSON.stringify(name) ?? 'nothing'}`);
  }
  const path = field(raw, 'path');
  if (path !== undefined && path !== null && typeof path !== 'string') {
    throw ScimError.invalidPath(`${where}.path must be a string`);
  }
  const value = field(raw, 'value');
  if (op !== 'remove' && value === undefined) {
    throw ScimError.invalidValue(`${where}: "${op}" needs a "value" (RFC 7644 §3.5.2.1, §3.5.2.3)`);
  }
  return { op, path: typeof path === 'string' && path.trim() !== '' ? path.trim() : undefined, value };
}

/** Validates the PatchOp envelope (RFC 7644 §3.5.2) and returns its operations. */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isObject(body)) {
    throw ScimError.invalidSyntax('The PATCH body must be a JSON object');
  }
  const schemas = field(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && sameName(s, URN.PatchOp))) {
    throw ScimError.invalidSyntax(`"schemas" must contain "${URN.PatchOp}"`);
  }
  const operations = field(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax('"Operations" must be a non-empty array');
  }
  checkOperationCount(operations.length);
  return operations.map(parseOperation);
}
