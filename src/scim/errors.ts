import { URN } from './urns';

/** RFC 7644 §3.12 Table 9 and RFC 9865 §2.1, spelled exactly as in the RFCs. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

export interface ScimErrorBody {
  schemas: [typeof URN.Error];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** The one error type of the server. Services and the core throw it; the HTTP filter renders it. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
    /** Seconds the client should wait before it retries (503, 429): the Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  static invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
  static uniqueness = (detail: string) => new ScimError(409, 'uniqueness', detail);
  static mutability = (detail: string) => new ScimError(400, 'mutability', detail);
  static invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
  static invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
  static noTarget = (detail: string) => new ScimError(400, 'noTarget', detail);
  static invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
  // RFC 7644 Table 9 (an unsupported protocol version): 400.
  static invalidVers = (detail: string) => new ScimError(400, 'invalidVers', detail);
  static invalidCursor = (detail: string) => new ScimError(400, 'invalidCursor', detail);
  static expiredCursor = (detail: string) => new ScimError(400, 'expiredCursor', detail);
  static invalidCount = (detail: string) => new ScimError(400, 'invalidCount', detail);

  static badRequest = (detail: string) => new ScimError(400, undefined, detail);
  static unauthorized = (detail = 'A valid bearer token is required') => new ScimError(401, undefined, detail);
  static forbidden = (detail: string) => new ScimError(403, undefined, detail);
  static notFound = (detail: string) => new ScimError(404, undefined, detail);
  /** The one wording for a missing resource, so that every 404 for an id reads alike. */
  static resourceNotFound = (type: string, id: string) => ScimError.notFound(`${type} ${id} not found`);
  static methodNotAllowed = (detail: string) => new ScimError(405, undefined, detail);
  static conflict = (detail: string) => new ScimError(409, undefined, detail);
  static preconditionFailed = (detail: string) => new ScimError(412, undefined, detail);
  static payloadTooLarge = (detail: string) => new ScimError(413, undefined, detail);
  static unsupportedMediaType = (detail: string) => new ScimError(415, undefined, detail);
  static notImplemented = (detail: string) => new ScimError(501, undefined, detail);
  static tooManyRequests = (detail: string, retryAfter: number) => new ScimError(429, undefined, detail, retryAfter);
  static unavailable = (detail: string, retryAfter: number) => new ScimError(503, undefined, detail, retryAfter);
  static internal = (detail = 'An unexpected error occurred; the request id identifies it in the server log') =>
    new ScimError(500, undefined, detail);

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [URN.Error], status: String(this.status), detail: this.detail };
    if (this.scimType) {
      body.scimType = this.scimType;
    }
    return body;
  }
}
