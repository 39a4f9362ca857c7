import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { scimBaseUrl } from '../http/base-url';
import { ScimErrorDto } from '../http/scim-error.dto';
import { serviceProviderConfig } from './service-provider-config';

@ApiTags('SCIM discovery')
@ApiBearerAuth('scim')
@ApiUnauthorizedResponse({ type: ScimErrorDto })
@Auth('scim')
@Controller('scim/v2')
export class DiscoveryController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('ServiceProviderConfig')
  @ApiOkResponse({ description: 'RFC 7643 §5: what this server implements' })
  serviceProviderConfig(@Req() req: FastifyRequest) {
    return serviceProviderConfig(this.config, scimBaseUrl(req));
  }
}
