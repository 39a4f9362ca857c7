import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportGuard } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { requestInfo } from '../http/request-info';
import { ScimError } from '../scim';
import { AdminKeyService } from './admin-key.service';
import { AUTH_KIND, AuthKind } from './auth.decorators';
import { RateLimits } from './rate-limits';
import { SCIM_BEARER } from './scim-bearer.strategy';
import type { ScimPrincipal } from './scim-tokens.service';

/**
 * passport-http-bearer for SCIM tokens; its refusals become SCIM 401 errors (the filter adds WWW-Authenticate).
 * The strategy also reads `access_token` from the query string and from a form or JSON body; those forms are refused
 * here by showing it only the Authorization header, because a token in a URL ends up in logs, proxies and history.
 */
@Injectable()
class ScimBearerGuard extends PassportGuard(SCIM_BEARER) {
  override getRequest(context: ExecutionContext) {
    return { headers: { authorization: context.switchToHttp().getRequest<IncomingMessage>().headers.authorization } };
  }

  override handleRequest<T>(err: unknown, user: T | false, _info: unknown, context: ExecutionContext): T {
    if (err) {
      throw err;
    }
    if (!user) {
      throw ScimError.unauthorized('Missing or malformed bearer token: send "Authorization: Bearer <SCIM token>"');
    }
    const { tokenId, tokenName } = user as unknown as ScimPrincipal;
    requestInfo(context.switchToHttp().getRequest<IncomingMessage>()).principal = { kind: 'scim-token', id: tokenId, name: tokenName };
    return user;
  }
}

/** The one global guard: every route states its credential with @Auth/@Public, and a route that does not is refused. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly scim = new ScimBearerGuard();

  constructor(
    private readonly reflector: Reflector,
    private readonly adminKey: AdminKeyService,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = this.reflector.getAllAndOverride<AuthKind | undefined>(AUTH_KIND, [context.getHandler(), context.getClass()]);
    if (kind === 'public') {
      return true;
    }
    if (kind === undefined) {
      throw ScimError.forbidden('This route has no access rule');
    }
    const req = context.switchToHttp().getRequest<IncomingMessage>();
    const address = this.limits.addressOf(req);
    this.limits.assertNotBlocked(address);
    try {
      if (kind === 'scim') {
        await this.scim.canActivate(context);
      } else {
        this.checkAdmin(req, kind === 'introspection');
      }
    } catch (e) {
      if (e instanceof ScimError && e.status === 401) {
        await this.limits.failed(address); // a 429 instead once the address is over the limit
      }
      throw e;
    }
    const principal = requestInfo(req).principal;
    if (principal?.kind === 'scim-token') {
      await this.limits.scimRequest(principal.id);
    }
    return true;
  }

  /** The admin key; for introspection also INTROSPECTION_SECRET. */
  private checkAdmin(req: IncomingMessage, introspection: boolean): boolean {
    const what = introspection ? 'INTROSPECTION_SECRET or the admin API key' : 'admin API key';
    const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) {
      throw ScimError.unauthorized(`Missing or malformed bearer token: send "Authorization: Bearer <${what}>"`);
    }
    if (introspection && this.adminKey.matchesIntrospectionSecret(match[1])) {
      requestInfo(req).principal = { kind: 'introspection' };
      return true;
    }
    if (!this.adminKey.matches(match[1])) {
      throw ScimError.unauthorized(`The bearer token is not the ${what}`);
    }
    requestInfo(req).principal = { kind: 'admin' };
    return true;
  }
}
