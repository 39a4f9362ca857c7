import { All, Controller, Get } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ApiScim, ApiScimErrors } from '../http/api-docs';
import { DiscoveryService } from './discovery.service';

/** /Me (RFC 7644 §3.11) and every path below it, for every method: 501. Documented once, as GET. */
@ApiTags('SCIM discovery')
@ApiScim()
@Auth('scim')
@Controller('scim/v2/Me')
export class MeController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Get()
  @ApiOperation({
    operationId: 'getMe',
    summary: 'The authenticated user: not implemented',
    description:
      "RFC 7644 §3.11's /Me answers 501 for every method and every path below it: this server's SCIM clients are provisioning " +
      'systems with SCIM tokens, not users, so no user stands behind a request. Use /Users/{id}.',
  })
  @ApiScimErrors(501)
  get() {
    return this.discovery.me();
  }

  @All()
  @ApiExcludeEndpoint()
  me() {
    return this.discovery.me();
  }

  @All('*below')
  @ApiExcludeEndpoint()
  below() {
    return this.discovery.me();
  }
}
