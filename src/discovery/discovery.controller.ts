import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
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
  serviceProviderConfig(@ScimCtx() ctx: ScimContext) {
    return serviceProviderConfig(this.config, ctx.baseUrl);
  }
}
