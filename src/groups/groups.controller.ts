import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiNotModifiedResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ApiIfMatch, ApiIfNoneMatch, ApiScim, ApiScimErrors, CREATED_HEADERS, ETAG_HEADER } from '../http/api-docs';
import { PatchOpDto } from '../http/patch-op.dto';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
import { AttributesQueryDto, ListQueryDto } from '../http/scim-query.dto';
import { SearchRequestDto } from '../http/search-request.dto';
import { CREATE_GROUP_EXAMPLES, PATCH_GROUP_EXAMPLES, REPLACE_GROUP_EXAMPLES, SEARCH_GROUPS_EXAMPLES } from './dto/group-examples';
import { GroupListResponseDto, ScimGroupDto } from './dto/scim-group.dto';
import { GroupsService } from './groups.service';

/** Swagger UI cannot carry an id from one call to the next: the operations on one team say where to get it. */
const ID_PARAM = { name: 'id', description: 'The id of a group: the "id" of a POST /Groups answer, or of a group in GET /Groups' };
const NEEDS_ID = 'To try it, create a group first (POST /Groups, Try it out, Execute) and put the "id" of its answer in the id field.';
const BAD_MEMBERS =
  'invalidSyntax, invalidValue (a member without a value, a type other than User or Group, a group that would contain itself, or ' +
  'with SCIM_UNKNOWN_MEMBERS=reject an id that is no known User or Group)';
const TOO_MANY = 'The body is larger than BODY_LIMIT, or names more than 10,000 members';

@ApiTags('SCIM Groups (teams)')
@ApiScim()
@Auth('scim')
@Controller('scim/v2/Groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createGroup',
    summary: 'Create a group (team)',
    description:
      'Provisions a team (RFC 7644 §3.3). displayName is required and need not be unique. Members are users or groups (nested teams) ' +
      'by id; an id that is no known User or Group is skipped with a warning (SCIM_UNKNOWN_MEMBERS=ignore) or refused (reject). ' +
      'The team extension carries a description and free-form metadata.',
  })
  @ApiBody({ type: ScimGroupDto, examples: CREATE_GROUP_EXAMPLES })
  @ApiResponse({ status: 201, type: ScimGroupDto, description: 'Created, members included', headers: CREATED_HEADERS })
  @ApiScimErrors([400, BAD_MEMBERS], [413, TOO_MANY], 415)
  create(@Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.create(body, ctx);
  }

  @Get()
  @ApiOperation({
    operationId: 'listGroups',
    summary: 'List or find groups',
    description:
      'A page of teams in creation order, optionally filtered; Execute with no parameters lists them all. Entra looks a group up ' +
      'with filter=displayName eq "<name>" and excludedAttributes=members: the membership table is then not read. Large member ' +
      'lists are streamed.',
  })
  @ApiResponse({ status: 200, type: GroupListResponseDto, description: 'A ListResponse' })
  @ApiScimErrors([
    400,
    'invalidFilter, invalidValue for a startIndex or count that is no integer, or invalidCursor or expiredCursor (RFC 9865)',
  ])
  list(@Query() q: ListQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.list(q, ctx);
  }

  @Post('.search')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'searchGroups',
    summary: 'Search groups with a SearchRequest body',
    description: 'The same list as GET /Groups, with the query in a JSON body (RFC 7644 §3.4.3).',
  })
  @ApiBody({ type: SearchRequestDto, examples: SEARCH_GROUPS_EXAMPLES })
  @ApiResponse({ status: 200, type: GroupListResponseDto, description: 'A ListResponse' })
  @ApiScimErrors([400, 'invalidFilter, invalidValue for a malformed SearchRequest, or invalidCursor or expiredCursor (RFC 9865)'], 413, 415)
  search(@Body() body: SearchRequestDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.list(body, { ...ctx, attributes: body.attributes, excludedAttributes: body.excludedAttributes });
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getGroup',
    summary: 'Get a group',
    description:
      'One team by its id, with all its members, streamed so that memory stays bounded for any team size; excludedAttributes=members ' +
      `leaves them out. With If-None-Match and the current ETag, 304 and no body. ${NEEDS_ID}`,
  })
  @ApiParam(ID_PARAM)
  @ApiIfNoneMatch()
  @ApiResponse({ status: 200, type: ScimGroupDto, description: 'The team', headers: ETAG_HEADER })
  @ApiNotModifiedResponse({ description: 'If-None-Match matches the current version: the copy you have is current', headers: ETAG_HEADER })
  @ApiScimErrors([400, 'The path is malformed (bad percent-encoding)'], 404)
  get(@Param('id') id: string, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.get(id, ctx);
  }

  @Put(':id')
  @ApiOperation({
    operationId: 'replaceGroup',
    summary: 'Replace a group',
    description:
      "Replaces the team's attributes. With members, the member set becomes exactly that list; without members, the membership is " +
      `kept, and without the team extension its settings are kept, so a rename by PUT never empties a team. ${NEEDS_ID}`,
  })
  @ApiParam(ID_PARAM)
  @ApiIfMatch()
  @ApiBody({ type: ScimGroupDto, examples: REPLACE_GROUP_EXAMPLES })
  @ApiResponse({ status: 200, type: ScimGroupDto, description: 'The team as stored', headers: ETAG_HEADER })
  @ApiScimErrors([400, BAD_MEMBERS], 404, 412, [413, TOO_MANY], 415)
  replace(@Param('id') id: string, @Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.replace(id, body, ctx);
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'patchGroup',
    summary: 'Change a group (PATCH): members, name, settings',
    description:
      'Applies a PatchOp (RFC 7644 §3.5.2) in the forms Entra ID, Okta and OneLogin send: members added, removed by value filter or ' +
      'by list, replaced, or all removed; renames; team settings. Only the named members are touched, so a one-member change costs ' +
      'the same for any team size. The answer is 204 with the new ETag; with attributes or excludedAttributes it is 200 with the ' +
      `team. ${NEEDS_ID}`,
  })
  @ApiParam(ID_PARAM)
  @ApiIfMatch()
  @ApiBody({ type: PatchOpDto, examples: PATCH_GROUP_EXAMPLES })
  @ApiResponse({ status: 204, description: 'Applied; the ETag header carries the new version', headers: ETAG_HEADER })
  @ApiResponse({ status: 200, type: ScimGroupDto, description: 'When attributes or excludedAttributes is given', headers: ETAG_HEADER })
  @ApiScimErrors(
    [400, `${BAD_MEMBERS}, invalidPath, invalidFilter (a members filter other than value eq "<id>" joined by or) or mutability`],
    404,
    412,
    [413, 'The body is larger than BODY_LIMIT, or has more than 1,000 operations or 10,000 members'],
    415,
  )
  patch(@Param('id') id: string, @Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.groups.patch(id, body, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteGroup',
    summary: 'Delete a group',
    description: `Deletes the team and its memberships; its users are untouched. ${NEEDS_ID}`,
  })
  @ApiParam(ID_PARAM)
  @ApiIfMatch()
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiScimErrors(404, 412)
  delete(@Param('id') id: string, @ScimCtx() ctx: ScimContext) {
    return this.groups.delete(id, ctx);
  }
}
