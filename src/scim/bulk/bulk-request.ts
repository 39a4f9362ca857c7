import { ScimError } from '../errors';
import { isObject } from '../schema/coerce';
import { ResourceType, resourceTypes, sameName } from '../schema/registry';
import { URN } from '../urns';

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const METHODS: readonly BulkMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** What the response echoes of an operation, valid or not (RFC 7644 §3.7.3). */
interface BulkEcho {
  /** The operation's position in the request. */
  readonly index: number;
  /** As sent; upper case when it is one of the four methods. */
  readonly method?: string;
  readonly bulkId?: string;
  /** The resource the path names, when it names one: for the `location` of a failed PUT, PATCH or DELETE. */
  readonly target?: { readonly resourceType: ResourceType; readonly id: string };
}

/** A valid operation, to run as the single request it stands for. */
export interface BulkOperation extends BulkEcho {
  readonly valid: true;
  readonly method: BulkMethod;
  readonly resourceType: ResourceType;
  /** The id in the path, as sent (it may be a "bulkId:…" reference); absent for POST. */
  readonly id?: string;
  /** The If-Match of the operation (RFC 7644 §3.7: `version`). */
  readonly version?: string;
  /** The resource (POST, PUT) or the PatchOp (PATCH); absent for DELETE. */
  readonly data?: Record<string, unknown>;
}

/** An operation that cannot run: it fails with `error`, and the other operations go on. */
export interface InvalidBulkOperation extends BulkEcho {
  readonly valid: false;
  readonly error: ScimError;
}

export type ParsedBulkOperation = BulkOperation | InvalidBulkOperation;

export interface BulkRequest {
  /** Stop after this many failed operations (RFC 7644 §3.7.3); unset: run them all. */
  readonly failOnErrors?: number;
  readonly operations: readonly ParsedBulkOperation[];
}

/** Member names of the BulkRequest message are matched case-insensitively, as those of the PatchOp are. */
const field = (o: Record<string, unknown>, name: string): unknown => o[Object.keys(o).find((k) => sameName(k, name)) ?? name];

/** `/Users`, `/Users/{id}`, `/Groups/{id}`: the endpoint case-insensitively (as routes are), the id percent-decoded. */
function parsePath(method: BulkMethod, path: string, where: string): { resourceType: ResourceType; id?: string } {
  const segments = path.trim().replace(/^\//, '').replace(/\/$/, '').split('/');
  const resourceType = resourceTypes.find((rt) => sameName(rt.endpoint, `/${segments[0] ?? ''}`));
  if (!resourceType || segments.length > 2 || segments[1] === '') {
    throw ScimError.notFound(
      `${where}.path: there is no endpoint at ${method} ${path}; operations act on ${resourceTypes.map((rt) => `${rt.endpoint} and ${rt.endpoint}/{id}`).join(', ')}`,
    );
  }
  const raw = segments[1];
  if (raw === undefined) {
    if (method !== 'POST') {
      throw ScimError.methodNotAllowed(
        `${where}: ${method} is not supported on ${resourceType.endpoint}; use POST, or name the resource (${resourceType.endpoint}/{id})`,
      );
    }
    return { resourceType };
  }
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw ScimError.badRequest(`${where}.path is not a valid path: ${path}`);
  }
  if (method === 'POST') {
    throw ScimError.methodNotAllowed(
      `${where}: POST is not supported on ${resourceType.endpoint}/{id}; use PUT, PATCH or DELETE, or POST to ${resourceType.endpoint}`,
    );
  }
  return { resourceType, id };
}

/** One operation (RFC 7644 §3.7): what is wrong with it fails it alone, never the request. */
export function parseBulkOperation(raw: unknown, index: number): ParsedBulkOperation {
  const where = `Operations[${index}]`;
  const echo: { index: number; method?: string; bulkId?: string; target?: BulkEcho['target'] } = { index };
  try {
    if (!isObject(raw)) {
      throw ScimError.invalidSyntax(`${where} must be an object with "method", "path" and (except for DELETE) "data"`);
    }
    const bulkId = field(raw, 'bulkId');
    if (bulkId !== undefined && bulkId !== null) {
      if (typeof bulkId !== 'string' || bulkId === '') {
        throw ScimError.invalidSyntax(`${where}.bulkId must be a non-empty string`);
      }
      echo.bulkId = bulkId;
    }
    const given = field(raw, 'method');
    echo.method = typeof given === 'string' ? given : undefined;
    const method = typeof given === 'string' ? METHODS.find((m) => sameName(m, given)) : undefined;
    if (!method) {
      throw ScimError.invalidSyntax(`${where}.method must be POST, PUT, PATCH or DELETE; got ${JSON.stringify(given) ?? 'nothing'}`);
    }
    echo.method = method;
    const path = field(raw, 'path');
    if (typeof path !== 'string') {
      throw ScimError.invalidSyntax(`${where}.path must be a string such as "/Users" or "/Groups/{id}"`);
    }
    const { resourceType, id } = parsePath(method, path, where);
    if (id !== undefined) {
      echo.target = { resourceType, id };
    }
    const version = field(raw, 'version') ?? undefined;
    if (version !== undefined && typeof version !== 'string') {
      throw ScimError.invalidSyntax(`${where}.version must be a string: the resource's ETag, such as W/"3"`);
    }
    const data = field(raw, 'data');
    if (method !== 'DELETE' && !isObject(data)) {
      throw ScimError.invalidSyntax(
        `${where}.data must be a JSON object: ${method === 'PATCH' ? 'the PatchOp' : `the ${resourceType.name}`}, as for a single ${method}`,
      );
    }
    return {
      ...echo,
      valid: true,
      method,
      resourceType,
      id,
      version,
      data: method === 'DELETE' ? undefined : (data as Record<string, unknown>),
    };
  } catch (e) {
    if (e instanceof ScimError) {
      return { ...echo, valid: false, error: e };
    }
    throw e;
  }
}

/**
 * Validates the BulkRequest envelope (RFC 7644 §3.7): 400 for a body that is not one, 413 over maxOperations
 * (§3.7.4), 400 for a bulkId used twice (§3.7: unique within a request). Operations that are wrong on their own come
 * back invalid, to fail alone.
 */
export function parseBulkRequest(body: unknown, maxOperations: number): BulkRequest {
  if (!isObject(body)) {
    throw ScimError.invalidSyntax('The BulkRequest body must be a JSON object');
  }
  const schemas = field(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && sameName(s, URN.BulkRequest))) {
    throw ScimError.invalidSyntax(`"schemas" must contain "${URN.BulkRequest}"`);
  }
  const operations = field(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax('"Operations" must be a non-empty array');
  }
  if (operations.length > maxOperations) {
    throw ScimError.payloadTooLarge(
      `A BulkRequest may have at most ${maxOperations} operations (maxOperations); this one has ${operations.length}. Split it into several requests`,
    );
  }
  const failOnErrors = field(body, 'failOnErrors') ?? undefined;
  if (failOnErrors !== undefined && !(typeof failOnErrors === 'number' && Number.isInteger(failOnErrors) && failOnErrors >= 1)) {
    throw ScimError.invalidValue(`"failOnErrors" must be an integer of 1 or more; got ${JSON.stringify(failOnErrors)}`);
  }
  const parsed = operations.map(parseBulkOperation);
  const seen = new Map<string, number>();
  for (const op of parsed) {
    if (op.bulkId === undefined) {
      continue;
    }
    const first = seen.get(op.bulkId);
    if (first !== undefined) {
      throw ScimError.invalidValue(
        `The bulkId "${op.bulkId}" is used by Operations[${first}] and Operations[${op.index}]; a bulkId must be unique within a request`,
      );
    }
    seen.set(op.bulkId, op.index);
  }
  return { failOnErrors, operations: parsed };
}
