import { createHmac, timingSafeEqual } from 'node:crypto';
import { ScimError } from '../errors';

/** Where a cursor page starts (RFC 9865): after (or, for a previous page, before) the row with these sort keys. */
export interface CursorPosition {
  /** The sort keys of the row, its id last. */
  readonly keys: readonly unknown[];
  /** A previousCursor: the page before `keys`, read backwards. */
  readonly backwards: boolean;
}

interface Payload {
  /** Fingerprint of the query the cursor belongs to. */
  readonly q: string;
  readonly k: readonly unknown[];
  readonly b: boolean;
  /** Expiry, in seconds since the epoch. */
  readonly e: number;
}

/**
 * Opaque, signed cursors: a keyset position (never an offset), the query it belongs to, and an expiry, as base64url
 * JSON plus an HMAC-SHA256, so a client can neither forge a position nor reuse a cursor for another query. Only the
 * RFC 3986 unreserved characters appear (RFC 9865 §2).
 */
export class CursorCodec {
  constructor(
    private readonly secret: string,
    /** RFC 9865 cursorTimeout: seconds a cursor stays valid. */
    readonly timeoutSeconds: number,
  ) {}

  encode(query: string, position: CursorPosition, now = Date.now()): string {
    const payload: Payload = { q: query, k: position.keys, b: position.backwards, e: Math.floor(now / 1000) + this.timeoutSeconds };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The position of a cursor made for `query`; 400 invalidCursor when it is not one of ours, expiredCursor when too old. */
  decode(text: string, query: string, now = Date.now()): CursorPosition {
    const [body, mac, extra] = text.split('.');
    const expected = body ? Buffer.from(this.sign(body)) : undefined;
    const given = Buffer.from(mac ?? '');
    if (!body || extra !== undefined || !expected || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw ScimError.invalidCursor(
        'The cursor is not one this server issued; send an empty cursor for the first page, then the nextCursor or previousCursor it returned',
      );
    }
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Payload;
    if (payload.q !== query) {
      throw ScimError.invalidCursor('The cursor belongs to another query; keep filter, sortBy and sortOrder the same while paging');
    }
    if (payload.e * 1000 < now) {
      throw ScimError.expiredCursor(`The cursor has expired (cursorTimeout is ${this.timeoutSeconds} s); start again with an empty cursor`);
    }
    return { keys: payload.k, backwards: payload.b };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
