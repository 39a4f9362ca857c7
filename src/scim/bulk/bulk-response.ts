import { ScimError, ScimErrorBody } from '../errors';
import { locationOf } from '../meta';
import { URN } from '../urns';
import { ParsedBulkOperation } from './bulk-request';

/** The result of one operation in a BulkResponse (RFC 7644 §3.7.3); `status` is the HTTP status as a string. */
export interface BulkResult {
  readonly method?: string;
  readonly bulkId?: string;
  readonly version?: string;
  readonly location?: string;
  readonly status: string;
  readonly response?: ScimErrorBody;
}

export interface BulkResponse {
  readonly schemas: [typeof URN.BulkResponse];
  readonly Operations: readonly BulkResult[];
}

/** What every result echoes of its operation. */
const echo = (op: ParsedBulkOperation) => ({
  ...(op.method === undefined ? {} : { method: op.method }),
  ...(op.bulkId === undefined ? {} : { bulkId: op.bulkId }),
});

/**
 * A successful operation: the status the single request would have had, the new ETag (none after DELETE) and the
 * location. The resource itself is left out, as in the RFC's examples: the response stays small however many
 * operations or members there are, and a GET of the location reads it.
 */
export const bulkSuccess = (op: ParsedBulkOperation, status: number, location: string, version?: string): BulkResult => ({
  ...echo(op),
  ...(version === undefined ? {} : { version }),
  location,
  status: String(status),
});

/**
 * A failed operation: its SCIM error as `response`, and the location of the resource it names (RFC 7644 §3.7.3: every
 * result but a failed POST's has one).
 */
export const bulkFailure = (op: ParsedBulkOperation, error: ScimError, baseUrl: string): BulkResult => ({
  ...echo(op),
  ...(op.target && op.method !== 'POST' ? { location: locationOf(op.target.resourceType, op.target.id, baseUrl) } : {}),
  status: String(error.status),
  response: error.toBody(),
});

/** The BulkResponse: results in request order, whatever order the operations ran in. */
export const bulkResponse = (results: ReadonlyMap<number, BulkResult>): BulkResponse => ({
  schemas: [URN.BulkResponse],
  Operations: [...results.entries()].sort(([a], [b]) => a - b).map(([, r]) => r),
});
