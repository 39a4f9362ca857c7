import { All, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ScimErrorDto } from '../http/scim-error.dto';
import { DiscoveryService } from './discovery.service';

/** /Me (RFC 7644 §3.11) and every path below it, for every method: 501. */
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

  @All('*below')
  @ApiExcludeEndpoint()
  below() {
    return this.discovery.me();
  }
}
