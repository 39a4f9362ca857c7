import { StreamableFile } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { etagMatches, SCIM_CONTENT_TYPE } from '../scim';
import { HttpAnswer } from './http-answer';
import { ScimResult, StreamedAttribute, StreamedList } from './scim-result';

/**
 * What a handler's value becomes on the wire: an HttpAnswer its status, headers and body; a ScimResult turns into its body plus ETag and Location headers (304
 * for a matching If-None-Match, 204 when there is no body), so controllers stay one-liners; a streamed attribute or
 * list is written batch by batch, so memory stays bounded. The platform calls this as it replies (rather than through
 * a Nest interceptor, whose per-request bookkeeping cost about a twentieth of a request's CPU).
 */
export async function renderResult(req: IncomingMessage, res: ServerResponse, value: unknown): Promise<unknown> {
  if (value instanceof HttpAnswer) {
    res.statusCode = value.status;
    for (const [name, v] of Object.entries(value.headers)) {
      res.setHeader(name, v);
    }
    return value.body;
  }
  if (value instanceof StreamedList) {
    return jsonFile(listJson(value));
  }
  if (!(value instanceof ScimResult)) {
    return value;
  }
  res.setHeader('ETag', value.etag);
  res.setHeader('Location', value.location);
  const ifNoneMatch = req.headers['if-none-match'];
  if (value.body === undefined || (req.method === 'GET' && ifNoneMatch && etagMatches(ifNoneMatch, value.etag))) {
    // RFC 9110 §13.1.2: the client's copy is current; RFC 7644 §3.5.2: a PATCH may answer 204.
    res.statusCode = value.body === undefined ? 204 : 304;
    return undefined;
  }
  return value.stream ? streamed(value.body, value.stream) : value.body;
}

const jsonFile = (chunks: AsyncIterable<string>) =>
  new StreamableFile(Readable.from(chunks), { type: `${SCIM_CONTENT_TYPE}; charset=utf-8` });

/** The first non-empty batch of a streamed attribute, and the iterator for the rest; no batch when it is empty. */
async function firstBatch(stream: StreamedAttribute): Promise<{ first?: readonly string[]; rest: AsyncIterator<readonly string[]> }> {
  const rest = stream.batches[Symbol.asyncIterator]();
  const r = await rest.next();
  if (r.done || r.value.length === 0) {
    await rest.return?.();
    return { rest };
  }
  return { first: r.value, rest };
}

/** `body` as JSON text with the streamed attribute appended; the rest of the batches are closed however it ends. */
async function* withAttribute(
  body: Record<string, unknown>,
  name: string,
  first: readonly string[],
  rest: AsyncIterator<readonly string[]>,
) {
  try {
    const head = JSON.stringify(body).slice(0, -1);
    yield `${head}${head.length > 1 ? ',' : ''}${JSON.stringify(name)}:[`;
    yield first.join(',');
    for (let b = await rest.next(); !b.done; b = await rest.next()) {
      if (b.value.length > 0) {
        yield `,${b.value.join(',')}`;
      }
    }
    yield ']}';
  } finally {
    await rest.return?.(); // a client that hangs up must not leave the batch reader (and its connection) open
  }
}

/** The body as JSON with the streamed attribute appended; a plain body when the attribute turns out empty. */
async function streamed(body: Record<string, unknown>, stream: StreamedAttribute): Promise<unknown> {
  const { first, rest } = await firstBatch(stream);
  return first ? jsonFile(withAttribute(body, stream.name, first, rest)) : body;
}

/** A ListResponse written resource by resource, each with its streamed attribute. */
async function* listJson({ list, streams }: StreamedList) {
  const { Resources, ...head } = list;
  yield `${JSON.stringify(head).slice(0, -1)},"Resources":[`;
  for (const [i, body] of Resources.entries()) {
    yield i > 0 ? ',' : '';
    const stream = streams[i];
    const { first, rest } = stream ? await firstBatch(stream) : {};
    if (stream && first && rest) {
      yield* withAttribute(body, stream.name, first, rest);
    } else {
      yield JSON.stringify(body);
    }
  }
  yield ']}';
}
