import { Inject, Injectable, Logger } from '@nestjs/common';
import { noteChange, operationScope } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { RateLimits } from '../auth/rate-limits';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { isDatabaseUnavailable } from '../database/pg-errors';
import { GroupsService } from '../groups/groups.service';
import { loggedDetail } from '../http/logging';
import { currentRequest, runInRequest } from '../http/request-info';
import type { ScimContext } from '../http/scim-context.decorator';
import type { ScimResult } from '../http/scim-result';
import {
  bulkFailure,
  BulkOperation,
  bulkResponse,
  BulkResponse,
  BulkResult,
  bulkSuccess,
  circularReference,
  locationOf,
  parseBulkRequest,
  ParsedBulkOperation,
  planBulk,
  resolveReferences,
  ScimError,
} from '../scim';
import { UsersService } from '../users/users.service';

/** What Bulk needs of a resource's service: the four writes, which UsersService and GroupsService both have. */
interface ResourceService {
  create(body: unknown, ctx: ScimContext): Promise<ScimResult>;
  replace(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult>;
  patch(id: string, body: unknown, ctx: ScimContext): Promise<ScimResult>;
  delete(id: string, ctx: ScimContext): Promise<void>;
}

/** Failed operations named in the log line of one bulk request; the rest are counted. */
const LOGGED_FAILURES = 20;

/** How the run of a bulk request ended early, if it did. */
type Stop = { readonly kind: 'failOnErrors' } | { readonly kind: 'notRun'; readonly error: ScimError };

/**
 * POST /Bulk (RFC 7644 §3.7). Each operation is one call of UsersService or GroupsService, exactly as the single
 * request would make it, so every rule of theirs applies (validation, IdP dialects, If-Match, row locks, membership
 * policy) and each operation is atomic on its own; the request as a whole is not (§3.7 does not ask it to be). The
 * operations run one after another, in the order planBulk gives: request order, except that a POST runs before the
 * operations that reference its bulkId.
 */
@Injectable()
export class BulkService {
  private readonly logger = new Logger(BulkService.name);

  constructor(
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly audit: AuditService,
    private readonly limits: RateLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(body: unknown, ctx: ScimContext): Promise<BulkResponse> {
    // Operations start only while the answer can still beat the answer deadline (HTTP_ANSWER_TIMEOUT_MS): past it the
    // client has a 503 and would send the request again, so nothing may still be written after it.
    const deadline = Date.now() + Math.max(this.config.httpAnswerTimeoutMs - 2000, this.config.httpAnswerTimeoutMs / 2);
    const request = parseBulkRequest(body, this.config.bulkMaxOperations);
    // Each operation counts as the request it stands for against SCIM_REQUESTS_PER_MINUTE (the guard counted one).
    const principal = currentRequest()?.principal;
    if (principal?.kind === 'scim-token' && request.operations.length > 1) {
      await this.limits.scimRequest(principal.id, request.operations.length - 1);
    }
    const { steps, posted } = planBulk(request.operations);
    const created = new Map<string, string>();
    const results = new Map<number, BulkResult>();
    let failed = 0;
    let stop: Stop | undefined;
    for (const step of steps) {
      if (request.failOnErrors !== undefined && failed >= request.failOnErrors) {
        // RFC 7644 §3.7.3: the remaining operations are neither run nor reported.
        stop = { kind: 'failOnErrors' };
        break;
      }
      const op = request.operations[step.index] as ParsedBulkOperation;
      if (!stop && Date.now() > deadline) {
        stop = {
          kind: 'notRun',
          error: ScimError.unavailable('Not run: the bulk request took too long to finish in time; send this operation again', 1),
        };
      }
      let result: BulkResult;
      // Each operation gets an audit record of its own, with the change its service notes in its own scope.
      const scope = operationScope();
      let resourceId: string | undefined;
      if (stop?.kind === 'notRun') {
        result = bulkFailure(op, stop.error, ctx.baseUrl);
      } else if (!op.valid) {
        result = bulkFailure(op, op.error, ctx.baseUrl);
      } else if (step.circular) {
        result = bulkFailure(op, circularReference(step.circular), ctx.baseUrl);
      } else {
        try {
          const resolved = resolveReferences(op, created, posted);
          resourceId = resolved.id;
          const outcome = await (scope ? runInRequest(scope, () => this.execute(resolved, ctx)) : this.execute(resolved, ctx));
          if (outcome.id !== undefined && op.bulkId !== undefined) {
            created.set(op.bulkId, outcome.id);
          }
          resourceId = outcome.id ?? resourceId;
          result = outcome.result;
        } catch (e) {
          if (!(e instanceof ScimError) && isDatabaseUnavailable(e)) {
            if (results.size === failed) {
              throw e; // nothing was written yet: the whole request gets the 503 with Retry-After, and may be sent again
            }
            stop = { kind: 'notRun', error: ScimError.unavailable('The database is unavailable; send this operation again', 5) };
          }
          result = bulkFailure(op, this.errorOf(e, stop), ctx.baseUrl);
        }
      }
      results.set(step.index, result);
      failed += Number(result.status) >= 400 && stop?.kind !== 'notRun' ? 1 : 0;
      if (scope) {
        this.audit.recordOperation(scope, {
          method: op.method ?? 'UNKNOWN',
          path: pathOf(op, resourceId),
          status: Number(result.status),
          scimType: result.response?.scimType,
        });
      }
    }
    this.log(request.operations.length, results, stop);
    const failures = [...results.values()].filter((r) => Number(r.status) >= 400).length;
    noteChange({
      resourceType: 'Bulk',
      summary: {
        operations: request.operations.length,
        succeeded: results.size - failures,
        failed: failures,
        skipped: request.operations.length - results.size,
      },
    });
    return bulkResponse(results);
  }

  /**
   * Runs one operation as its single request would run; the status is the one that request would have answered, and
   * `id` is the id a POST created.
   */
  private async execute(op: BulkOperation, ctx: ScimContext): Promise<{ result: BulkResult; id?: string }> {
    const service: ResourceService = op.resourceType.id === 'User' ? this.users : this.groups;
    // The operation's own If-Match; no projection, since results carry no resource.
    const opCtx: ScimContext = { ...ctx, attributes: undefined, excludedAttributes: undefined, ifMatch: op.version };
    const id = op.id as string;
    const done = (status: number, r: ScimResult) => ({ result: bulkSuccess(op, status, r.location, r.etag) });
    switch (op.method) {
      case 'POST': {
        const r = await service.create(op.data, opCtx);
        if (typeof r.body?.id !== 'string') {
          throw new Error(`${op.resourceType.name} create answered without an id`);
        }
        return { ...done(201, r), id: r.body.id };
      }
      case 'PUT':
        return done(200, await service.replace(id, op.data, opCtx));
      case 'PATCH': {
        const r = await service.patch(id, op.data, opCtx);
        return done(r.body === undefined ? 204 : 200, r);
      }
      case 'DELETE':
        await service.delete(id, opCtx);
        return { result: bulkSuccess(op, 204, locationOf(op.resourceType, id, ctx.baseUrl)) };
    }
  }

  /** The SCIM error an operation failed with; an unexpected one is logged and answered as a 500 of that operation only. */
  private errorOf(e: unknown, stop: Stop | undefined): ScimError {
    if (e instanceof ScimError) {
      return e;
    }
    if (stop?.kind === 'notRun') {
      return stop.error;
    }
    const { name, message, code, stack } = (e ?? {}) as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown };
    this.logger.error({ err: { type: name, message, code, stack } }, 'bulk operation failed unexpectedly');
    return ScimError.internal();
  }

  /** One line per bulk request; each write also logged its own line in its service. Failures without personal data. */
  private log(operations: number, results: ReadonlyMap<number, BulkResult>, stop: Stop | undefined): void {
    const failures = [...results.entries()].filter(([, r]) => Number(r.status) >= 400);
    this.logger.log(
      {
        operations,
        succeeded: results.size - failures.length,
        failed: failures.length,
        skipped: operations - results.size,
        ...(stop ? { stoppedBy: stop.kind } : {}),
        failures: failures.slice(0, LOGGED_FAILURES).map(([index, r]) => ({
          index,
          status: r.status,
          scimType: r.response?.scimType,
          detail: r.response && (this.config.logPersonalData ? r.response.detail : loggedDetail(r.response.detail)),
        })),
      },
      'bulk request processed',
    );
  }
}

/** The single request an operation stands for, as its audit record names it: `/scim/v2/Users/{id}`. */
function pathOf(op: ParsedBulkOperation, id: string | undefined): string {
  const type = op.valid ? op.resourceType : op.target?.resourceType;
  const resourceId = id ?? op.target?.id;
  return type ? `/scim/v2${type.endpoint}${resourceId === undefined ? '' : `/${resourceId}`}` : '/scim/v2/Bulk';
}
