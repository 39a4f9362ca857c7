import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportGuard } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { ScimError } from '../scim';
import { AdminKeyService } from './admin-key.service';
import { AUTH_KIND, AuthKind } from './auth.decorators';
import { SCIM_BEARER } from './scim-bearer.strategy';

/** passport-http-bearer for SCIM tokens; its refusals become SCIM 401 errors (the filter adds WWW-Authenticate). */
@Injectable()
class ScimBearerGuard extends PassportGuard(SCIM_BEARER) {
  override handleRequest<T>(err: unknown, user: T | false): T {
    if (err) {
      throw err;
    }
    if (!user) {
      throw ScimError.unauthorized('Missing or malformed bearer token: send "Authorization: Bearer <SCIM token>"');
    }
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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = this.reflector.getAllAndOverride<AuthKind | undefined>(AUTH_KIND, [context.getHandler(), context.getClass()]);
    switch (kind) {
      case 'public':
        return true;
      case 'scim':
        return (await this.scim.canActivate(context)) as boolean;
      case 'admin':
        return this.checkAdmin(context.switchToHttp().getRequest<IncomingMessage>());
      case undefined:
        throw ScimError.forbidden('This route has no access rule');
    }
  }

  private checkAdmin(req: IncomingMessage): boolean {
    const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) {
      throw ScimError.unauthorized('Missing or malformed bearer token: send "Authorization: Bearer <admin API key>"');
    }
    if (!this.adminKey.matches(match[1])) {
      throw ScimError.unauthorized('The bearer token is not the admin API key');
    }
    return true;
  }
}
