import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ScimPrincipal, ScimTokensService } from './scim-tokens.service';

export const SCIM_BEARER = 'scim-bearer';

@Injectable()
export class ScimBearerStrategy extends PassportStrategy(Strategy, SCIM_BEARER) {
  constructor(private readonly tokens: ScimTokensService) {
    super();
  }

  validate(token: string): Promise<ScimPrincipal> {
    return this.tokens.authenticate(token);
  }
}
