import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { PatchOpDto } from '../http/patch-op.dto';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
import { ScimErrorDto } from '../http/scim-error.dto';
import { AttributesQueryDto, ListQueryDto } from '../http/scim-query.dto';
import { SearchRequestDto } from '../http/search-request.dto';
import { GroupListResponseDto, ScimGroupDto } from './dto/scim-group.dto';
import { GroupsService } from './groups.service';

@ApiTags('SCIM Groups (teams)')
@ApiBearerAuth('scim')
@ApiUnauthorizedResponse({ type: ScimErrorDto })
@ApiBadRequestResponse({
  type: ScimErrorDto,
  description: 'invalidFilter, invalidValue (e.g. a nesting cycle), invalidPath, invalidSyntax, mutability, noTarget',
})
@Auth('scim')
@Controller('scim/v2/Groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Post()
  @HttpCode(201)
  @ApiBody({ type: ScimGroupDto })
  @ApiCreatedResponse({ type: ScimGroupDto, description: 'With Location and ETag headers' })
  create(@Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.create(body, ctx);
  }

  @Get()
  @ApiOkResponse({
    type: GroupListResponseDto,
    description: 'Use excludedAttributes=members for lookups: the membership table is then not read',
  })
  list(@Query() q: ListQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.list(q, ctx);
  }

  @Post('.search')
  @HttpCode(200)
  @ApiOkResponse({ type: GroupListResponseDto })
  search(@Body() body: SearchRequestDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.list(body, { ...ctx, attributes: body.attributes, excludedAttributes: body.excludedAttributes });
  }

  @Get(':id')
  @ApiOkResponse({ type: ScimGroupDto, description: 'members are streamed; memory stays bounded for any team size' })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  get(@Param('id') id: string, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.get(id, ctx);
  }

  @Put(':id')
  @ApiBody({ type: ScimGroupDto })
  @ApiOkResponse({
    type: ScimGroupDto,
    description: 'With members: the member set becomes that list. Without members: membership unchanged.',
  })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  @ApiPreconditionFailedResponse({ type: ScimErrorDto })
  replace(@Param('id') id: string, @Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.replace(id, body, ctx);
  }

  @Patch(':id')
  @ApiBody({ type: PatchOpDto })
  @ApiNoContentResponse({ description: 'Applied (ETag header carries the new version)' })
  @ApiOkResponse({ type: ScimGroupDto, description: 'When attributes or excludedAttributes are given' })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  @ApiPreconditionFailedResponse({ type: ScimErrorDto })
  patch(@Param('id') id: string, @Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.patch(id, body, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The team and its memberships are gone; its users are untouched' })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  delete(@Param('id') id: string, @ScimCtx() ctx: ScimContext) {
    return this.groups.delete(id, ctx);
  }
}
