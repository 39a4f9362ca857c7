import { CallHandler, ExecutionContext, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { from, mergeMap, Observable } from 'rxjs';
import { etagMatches, SCIM_CONTENT_TYPE } from '../scim';
import { ScimResult, StreamedAttribute } from './scim-result';

/**
 * Turns a ScimResult into its body plus ETag and Location headers (304 for a matching If-None-Match, 204 when there
 * is no body), so controllers stay one-liners. A streamed attribute is written batch by batch: memory stays bounded.
 */
@Injectable()
export class ScimResultInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      mergeMap((value: unknown) => {
        if (!(value instanceof ScimResult)) {
          return [value];
        }
        reply.header('ETag', value.etag);
        reply.header('Location', value.location);
        const ifNoneMatch = req.headers['if-none-match'];
        if (value.body === undefined || (req.method === 'GET' && ifNoneMatch && etagMatches(ifNoneMatch, value.etag))) {
          // RFC 9110 §13.1.2: the client's copy is current; RFC 7644 §3.5.2: a PATCH may answer 204.
          reply.status(value.body === undefined ? 204 : 304);
          return [undefined];
        }
        return from(value.stream ? streamed(value.body, value.stream) : Promise.resolve(value.body));
      }),
    );
  }
}
/** The body as JSON with the streamed attribute appended; a plain body when the attribute turns out empty. */
async function streamed(body: Record<string, unknown>, stream: StreamedAttribute): Promise<unknown> {
  const batches = stream.batches[Symbol.asyncIterator]();
  const first = await batches.next();
  if (first.done || first.value.length === 0) {
    await batches.return?.();
    return body;
  }
  const head = JSON.stringify(body).slice(0, -1);
  async function* chunks(firstBatch: readonly string[]) {
    yield `${head}${head.length > 1 ? ',' : ''}${JSON.stringify(stream.name)}:[`;
    yield firstBatch.join(',');
    for (let b = await batches.next(); !b.done; b = await batches.next()) {
      if (b.value.length > 0) {
        yield `,${b.value.join(',')}`;
      }
    }
    yield ']}';
  }
  return new StreamableFile(Readable.from(chunks(first.value)), { type: `${SCIM_CONTENT_TYPE}; charset=utf-8` });
}
