import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ApiScim, ApiScimErrors } from '../http/api-docs';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
import { URN } from '../scim';
import { DiscoveryService } from './discovery.service';

const NO_FILTER = {
  name: 'filter',
  type: String,
  required: false,
  description: 'Not supported on discovery endpoints: any filter answers 403 (RFC 7644 §4)',
};

@ApiTags('SCIM discovery')
@ApiScim()
@Auth('scim')
@Controller('scim/v2')
export class DiscoveryController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Get('ServiceProviderConfig')
  @ApiOperation({
    operationId: 'getServiceProviderConfig',
    summary: 'What this server supports',
    description:
      'RFC 7643 §5: which SCIM features this server implements (patch, filter with maxResults, etag, changePassword; bulk and sort ' +
      'as they are), its authentication scheme and where its documentation is. IdPs read it when a connection is set up.',
  })
  @ApiOkResponse({ description: 'The ServiceProviderConfig resource' })
  @ApiQuery(NO_FILTER)
  @ApiScimErrors(403)
  serviceProviderConfig(@Query('filter') filter: string | undefined, @ScimCtx() ctx: ScimContext) {
    return this.discovery.serviceProviderConfig(ctx.baseUrl, filter);
  }

  @Get('Schemas')
  @ApiOperation({
    operationId: 'listSchemas',
    summary: 'The schemas this server serves',
    description:
      'RFC 7643 §7: a ListResponse of every schema (User, Enterprise User, Group, the team extension), each attribute with all its ' +
      'characteristics (type, mutability, returned, uniqueness, caseExact, canonical values).',
  })
  @ApiOkResponse({ description: 'A ListResponse of Schema resources' })
  @ApiQuery(NO_FILTER)
  @ApiScimErrors(403)
  schemas(@Query('filter') filter: string | undefined, @ScimCtx() ctx: ScimContext) {
    return this.discovery.schemas(ctx.baseUrl, filter);
  }

  @Get('Schemas/:id')
  @ApiOperation({ operationId: 'getSchema', summary: 'One schema', description: 'RFC 7643 §7: one schema, by its URN (case-insensitive).' })
  @ApiParam({ name: 'id', description: 'A schema URN', example: URN.User })
  @ApiOkResponse({ description: 'The Schema resource' })
  @ApiScimErrors([404, 'There is no schema with this URN'])
  schema(@Param('id') id: string, @ScimCtx() ctx: ScimContext) {
    return this.discovery.schema(id, ctx.baseUrl);
  }

  @Get('ResourceTypes')
  @ApiOperation({
    operationId: 'listResourceTypes',
    summary: 'The resource types this server serves',
    description: 'RFC 7643 §6: a ListResponse of the resource types (User, Group), each with its endpoint, schema and schema extensions.',
  })
  @ApiOkResponse({ description: 'A ListResponse of ResourceType resources' })
  @ApiQuery(NO_FILTER)
  @ApiScimErrors(403)
  resourceTypes(@Query('filter') filter: string | undefined, @ScimCtx() ctx: ScimContext) {
    return this.discovery.resourceTypes(ctx.baseUrl, filter);
  }

  @Get('ResourceTypes/:name')
  @ApiOperation({
    operationId: 'getResourceType',
    summary: 'One resource type',
    description: 'RFC 7643 §6: one resource type, by its name.',
  })
  @ApiParam({ name: 'name', description: 'User or Group', example: 'User' })
  @ApiOkResponse({ description: 'The ResourceType resource' })
  @ApiScimErrors([404, 'There is no resource type with this name'])
  resourceType(@Param('name') name: string, @ScimCtx() ctx: ScimContext) {
    return this.discovery.resourceType(name, ctx.baseUrl);
  }
}
