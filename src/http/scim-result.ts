import type { ListResponse, ScimResource } from '../scim';

/** A multi-valued attribute too large to hold in memory, produced in batches of values already serialised as JSON. */
export interface StreamedAttribute {
  readonly name: string;
  readonly batches: AsyncIterable<readonly string[]>;
}

/**
 * A single resource with the headers that describe it (RFC 7644 §3.1, §3.14); renderResult writes them.
 * No body means 204 No Content; `stream` appends a streamed attribute to the body.
 */
export class ScimResult {
  constructor(
    readonly body: ScimResource | undefined,
    readonly etag: string,
    readonly location: string,
    readonly stream?: StreamedAttribute,
  ) {}

  withStream(name: string, batches: AsyncIterable<readonly string[]>): ScimResult {
    return new ScimResult(this.body, this.etag, this.location, { name, batches });
  }
}

/**
 * A ListResponse whose resources may each append a streamed attribute (`streams[i]` for `list.Resources[i]`): a
 * page of large teams is written team by team, batch by batch, like a single GET.
 */
export class StreamedList {
  constructor(
    readonly list: ListResponse<ScimResource>,
    readonly streams: readonly (StreamedAttribute | undefined)[],
  ) {}
}
