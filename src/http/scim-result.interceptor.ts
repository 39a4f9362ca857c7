import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { etagMatches } from '../scim';
import { map, Observable } from 'rxjs';
import { ScimResult } from './scim-result';

/** Turns a ScimResult into its body plus ETag and Location headers (and 304 for a matching If-None-Match), so controllers stay one-liners. */
@Injectable()
export class ScimResultInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof ScimResult)) {
          return value;
        }
        res.setHeader('ETag', value.etag);
        res.setHeader('Location', value.location);
        // RFC 7644 §3.14 / RFC 9110 §13.1.2: the client's copy is current, so no body.
        const ifNoneMatch = req.headers['if-none-match'];
        if (req.method === 'GET' && ifNoneMatch && etagMatches(ifNoneMatch, value.etag)) {
          res.status(304);
          return undefined;
        }
        return value.body;
      }),
    );
  }
}
