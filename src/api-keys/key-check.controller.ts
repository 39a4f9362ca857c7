import { All, Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import type { HeadersObject } from '@nestjs/swagger';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Public } from '../auth/auth.decorators';
import { ApiScimErrors } from '../http/api-docs';
import { INTROSPECT_EXAMPLES } from './dto/api-key-examples';
import { IntrospectionDto, IntrospectRequestDto } from './dto/introspect.dto';
import { KeyCheckService } from './key-check.service';

const NO_STORE: HeadersObject = {
  'Cache-Control': { description: 'no-store: the next request must ask again', schema: { type: 'string', example: 'no-store' } },
};

@ApiTags('API key checks')
@Controller()
export class KeyCheckController {
  constructor(private readonly check: KeyCheckService) {}

  @Post('introspect')
  @HttpCode(200)
  @Auth('introspection')
  @ApiBearerAuth('introspection')
  @ApiOperation({
    operationId: 'introspectApiKey',
    summary: 'Check an API key (RFC 7662 token introspection)',
    description:
      'For the application: is this API key live, and whose is it? A live key answers active true with its user (sub, username), ' +
      'role and direct teams; anything else (unknown, revoked, suspended, expired, a deactivated or deleted user) answers just ' +
      '{"active": false}, never an error. The body is a form (token=…), as RFC 7662 §2.1 has it, or the same as JSON. ' +
      'Authorize with INTROSPECTION_SECRET or the admin API key. Answers are exact within a second on every instance.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: IntrospectRequestDto, examples: INTROSPECT_EXAMPLES })
  @ApiResponse({ status: 200, type: IntrospectionDto, description: 'RFC 7662 §2.2', headers: NO_STORE })
  @ApiScimErrors(
    [400, 'invalidValue: token is missing or longer than 4,096 characters; invalidSyntax: a form field given twice'],
    [401, 'INTROSPECTION_SECRET or the admin API key is missing or wrong (WWW-Authenticate: Bearer realm="introspection")'],
    413,
    [415, 'The body is not application/x-www-form-urlencoded or JSON, or not UTF-8'],
    429,
    503,
  )
  introspect(@Body() body: IntrospectRequestDto) {
    return this.check.introspect(body.token);
  }

  @Get('auth/verify')
  @Public()
  @ApiBearerAuth('apiKey')
  @ApiOperation({
    operationId: 'verifyApiKey',
    summary: 'Forward auth: let a request through with an API key',
    description:
      "For a reverse proxy in front of the application (nginx auth_request, Traefik ForwardAuth, Envoy ext_authz): the client's " +
      'Authorization header with a live API key answers 200 with the user in X-Auth-* headers, which the proxy passes on; ' +
      'anything else answers 401. Envoy may append the original path and use any method. To try it, issue a key ' +
      '(POST /admin/users/{id}/api-keys) and authorize apiKey with the "key" of its answer.',
  })
  @ApiResponse({
    status: 200,
    description: 'The key is live; the user is in the headers. No body',
    headers: {
      ...NO_STORE,
      'X-Auth-User-Id': { description: "The user's SCIM id", schema: { type: 'string' } },
      'X-Auth-User-Name': { description: 'The userName; percent-encoded (UTF-8) when not printable ASCII', schema: { type: 'string' } },
      'X-Auth-Role': { description: 'The application role', schema: { type: 'string' } },
      'X-Auth-Teams': { description: "The user's direct team ids, comma-separated", schema: { type: 'string' } },
      'X-Auth-Key-Id': { description: "The key's id", schema: { type: 'string' } },
    },
  })
  @ApiScimErrors(
    [401, 'No key, or a key that is not live: unknown, revoked, suspended, expired, or its user deactivated (realm="api-key")'],
    503,
  )
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
