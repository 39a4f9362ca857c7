import { All, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ScimErrorDto } from '../http/scim-error.dto';
import { DiscoveryService } from './discovery.service';

/**
 * /Me (RFC 7644 §3.11) and the paths below it, for every method: 501. The paths below are listed one level at a time
 * because a catch-all pattern is spelt differently by each HTTP platform (`*` in Fastify, `*path` in Express 5).
 */
@ApiTags('SCIM discovery')
@ApiBearerAuth('scim')
@ApiUnauthorizedResponse({ type: ScimErrorDto })
@Auth('scim')
@Controller('scim/v2/Me')
export class MeController {
  constructor(private readonly discovery: DiscoveryService) {}

  @All()
  @ApiResponse({ status: 501, type: ScimErrorDto, description: 'Not implemented: SCIM clients here are machines, not users' })
  me() {
    return this.discovery.me();
  }

  @All([':below', ':below/:further'])
  @ApiExcludeEndpoint()
  below() {
    return this.discovery.me();
  }
}
