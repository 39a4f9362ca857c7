import { All, Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { Auth, Public } from '../auth/auth.decorators';
import { ScimErrorDto } from '../http/scim-error.dto';
import { IntrospectionDto, IntrospectRequestDto } from './dto/introspect.dto';
import { KeyCheckService } from './key-check.service';

@ApiTags('API key checks')
@Controller()
export class KeyCheckController {
  constructor(private readonly check: KeyCheckService) {}

  @Post('introspect')
  @HttpCode(200)
  @Auth('introspection')
  @ApiBearerAuth('introspection')
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: IntrospectRequestDto })
  @ApiOkResponse({ type: IntrospectionDto, description: 'RFC 7662 §2.2; `{"active": false}` for any key that is not live' })
  @ApiUnauthorizedResponse({ type: ScimErrorDto, description: 'Missing or wrong INTROSPECTION_SECRET or admin API key' })
  @ApiUnsupportedMediaTypeResponse({ type: ScimErrorDto })
  introspect(@Body() body: IntrospectRequestDto) {
    return this.check.introspect(body.token);
  }

  @Get('auth/verify')
  @Public()
  @ApiBearerAuth('apiKey')
  @ApiOkResponse({
    description: 'The key is live; the user is in the headers (for nginx auth_request, Traefik ForwardAuth, Envoy ext_authz)',
    headers: {
      'X-Auth-User-Id': { description: "The user's SCIM id", schema: { type: 'string' } },
      'X-Auth-User-Name': { description: 'The userName; percent-encoded (UTF-8) when not printable ASCII', schema: { type: 'string' } },
      'X-Auth-Role': { description: 'The application role', schema: { type: 'string' } },
      'X-Auth-Teams': { description: "The user's direct team ids, comma-separated", schema: { type: 'string' } },
      'X-Auth-Key-Id': { description: "The key's id", schema: { type: 'string' } },
    },
  })
  @ApiUnauthorizedResponse({ type: ScimErrorDto, description: 'No key, or a key that is not live' })
  verify(@Headers('authorization') authorization: string | undefined) {
    return this.check.verify(authorization);
  }

  /** Envoy's HTTP ext_authz sends the original method and path after its path_prefix: the same check for any of them. */
  @All(['auth/verify', 'auth/verify/*path'])
  @Public()
  @ApiExcludeEndpoint()
  verifyForwarded(@Headers('authorization') authorization: string | undefined) {
    return this.check.verify(authorization);
  }
}
