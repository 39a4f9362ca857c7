import type { ScimResource } from '../scim';

/** A single resource with the headers that describe it (RFC 7644 §3.1, §3.14); ScimResultInterceptor writes them. */
export class ScimResult {
  constructor(
    readonly body: ScimResource,
    readonly etag: string,
    readonly location: string,
  ) {}
}
