import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
import { ScimErrorDto } from '../http/scim-error.dto';
import { DiscoveryService } from './discovery.service';

const NO_FILTER = {
  name: 'filter',
  type: String,
  required: false,
  description: 'Not supported on discovery endpoints: any filter answers 403 (RFC 7644 §4)',
};

@ApiTags('SCIM discovery')
@ApiBearerAuth('scim')
@ApiUnauthorizedResponse({ type: ScimErrorDto })
@Auth('scim')
@Controller('scim/v2')
export class DiscoveryController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Get('ServiceProviderConfig')
  @ApiOkResponse({ description: 'RFC 7643 §5: what this server implements' })
  @ApiQuery(NO_FILTER)
  @ApiForbiddenResponse({ type: ScimErrorDto, description: 'A filter was given' })
  serviceProviderConfig(@Query('filter') filter: string | undefined, @ScimCtx() ctx: ScimContext) {
    return this.discovery.serviceProviderConfig(ctx.baseUrl, filter);
  }

  @Get('Schemas')
  @ApiOkResponse({ description: 'RFC 7643 §7: a ListResponse of every schema, each attribute with all its characteristics' })
  @ApiQuery(NO_FILTER)
  @ApiForbiddenResponse({ type: ScimErrorDto, description: 'A filter was given' })
  schemas(@Query('filter') filter: string | undefined, @ScimCtx() ctx: ScimContext) {
    return this.discovery.schemas(ctx.baseUrl, filter);
  }

  @Get('Schemas/:id')
  @ApiOkResponse({ description: 'RFC 7643 §7: one schema, by its URN' })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  schema(@Param('id') id: string, @ScimCtx() ctx: ScimContext) {
    return this.discovery.schema(id, ctx.baseUrl);
  }

  @Get('ResourceTypes')
  @ApiOkResponse({ description: 'RFC 7643 §6: a ListResponse of the resource types, with their schema extensions' })
  @ApiQuery(NO_FILTER)
  @ApiForbiddenResponse({ type: ScimErrorDto, description: 'A filter was given' })
  resourceTypes(@Query('filter') filter: string | undefined, @ScimCtx() ctx: ScimContext) {
    return this.discovery.resourceTypes(ctx.baseUrl, filter);
  }

  @Get('ResourceTypes/:name')
  @ApiOkResponse({ description: 'RFC 7643 §6: one resource type, by its name (User, Group)' })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  resourceType(@Param('name') name: string, @ScimCtx() ctx: ScimContext) {
    return this.discovery.resourceType(name, ctx.baseUrl);
  }
}
