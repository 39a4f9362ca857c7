import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiNotModifiedResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ApiIfMatch, ApiIfNoneMatch, ApiScim, ApiScimErrors, CREATED_HEADERS, ETAG_HEADER, idLinks } from '../http/api-docs';
import { PatchOpDto } from '../http/patch-op.dto';
import { ScimCtx, type ScimContext } from '../http/scim-context.decorator';
import { AttributesQueryDto, ListQueryDto } from '../http/scim-query.dto';
import { SearchRequestDto } from '../http/search-request.dto';
import { ScimUserDto, UserListResponseDto } from './dto/scim-user.dto';
import { CREATE_USER_EXAMPLES, PATCH_USER_EXAMPLES, REPLACE_USER_EXAMPLES, SEARCH_USERS_EXAMPLES } from './dto/user-examples';
import { UsersService } from './users.service';

/** Swagger UI cannot carry an id from one call to the next: the operations on one user say where to get it. */
const ID_PARAM = {
  name: 'id',
  description: 'The id of a user: the "id" of a POST /Users answer, or of a user in GET /Users',
};
const NEEDS_ID = 'To try it, create a user first (POST /Users, Try it out, Execute) and put the "id" of its answer in the id field.';

@ApiTags('SCIM Users')
@ApiScim()
@Auth('scim')
@Controller('scim/v2/Users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createUser',
    summary: 'Create a user',
    description:
      'Provisions a user (RFC 7644 §3.3). userName is required and unique case-insensitively; a client-sent id or meta is ignored; ' +
      'unknown attributes and extension schemas are ignored and logged, not rejected. active defaults to true, and the primary role ' +
      "picks the user's application role (USER_ROLES, else DEFAULT_USER_ROLE). The answer is the user with Location and ETag.",
  })
  @ApiBody({ type: ScimUserDto, examples: CREATE_USER_EXAMPLES })
  @ApiResponse({
    status: 201,
    type: ScimUserDto,
    description: 'Created',
    headers: CREATED_HEADERS,
    links: idLinks('id', 'createApiKey', 'listApiKeys'),
  })
  @ApiScimErrors(
    [400, 'invalidSyntax (schemas lacks the User URN, not JSON) or invalidValue (a value of the wrong type, a role outside USER_ROLES)'],
    409,
    413,
    415,
  )
  create(@Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.create(body, ctx);
  }

  @Get()
  @ApiOperation({
    operationId: 'listUsers',
    summary: 'List or find users',
    description:
      'A page of users in creation order (RFC 7644 §3.4.2), optionally filtered; Execute with no parameters lists everyone. ' +
      'An IdP probes for a user with filter=userName eq "<name>": no match is an empty list. The filter runs in PostgreSQL; ' +
      'a filter the server cannot evaluate exactly is 400 invalidFilter, never ignored.',
  })
  @ApiResponse({ status: 200, type: UserListResponseDto, description: 'A ListResponse' })
  @ApiScimErrors([
    400,
    'invalidFilter, invalidValue for a startIndex or count that is no integer, or invalidCursor or expiredCursor (RFC 9865)',
  ])
  list(@Query() q: ListQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.list(q, ctx);
  }

  @Post('.search')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'searchUsers',
    summary: 'Search users with a SearchRequest body',
    description:
      'The same list as GET /Users, with the query in a JSON body (RFC 7644 §3.4.3), so that long filters and the personal data in ' +
      'them stay out of URLs and logs.',
  })
  @ApiBody({ type: SearchRequestDto, examples: SEARCH_USERS_EXAMPLES })
  @ApiResponse({ status: 200, type: UserListResponseDto, description: 'A ListResponse' })
  @ApiScimErrors([400, 'invalidFilter, invalidValue for a malformed SearchRequest, or invalidCursor or expiredCursor (RFC 9865)'], 413, 415)
  search(@Body() body: SearchRequestDto, @ScimCtx() ctx: ScimContext) {
    return this.users.list(body, { ...ctx, attributes: body.attributes, excludedAttributes: body.excludedAttributes });
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getUser',
    summary: 'Get a user',
    description: `One user by its id, with ETag. With If-None-Match and the current ETag, 304 and no body. ${NEEDS_ID}`,
  })
  @ApiParam(ID_PARAM)
  @ApiIfNoneMatch()
  @ApiResponse({ status: 200, type: ScimUserDto, description: 'The user', headers: ETAG_HEADER })
  @ApiNotModifiedResponse({ description: 'If-None-Match matches the current version: the copy you have is current', headers: ETAG_HEADER })
  @ApiScimErrors([400, 'The path is malformed (bad percent-encoding)'], 404)
  get(@Param('id') id: string, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.get(id, ctx);
  }

  @Put(':id')
  @ApiOperation({
    operationId: 'replaceUser',
    summary: 'Replace a user',
    description:
      'Replaces every writable attribute (RFC 7644 §3.5.1): what the body leaves out is removed, except active, which a PUT without ' +
      'it keeps (so a PUT can never re-enable a deprovisioned user), and password, kept unless sent. readOnly attributes are ignored. ' +
      `A PUT that changes nothing keeps the version. ${NEEDS_ID}`,
  })
  @ApiParam(ID_PARAM)
  @ApiIfMatch()
  @ApiBody({ type: ScimUserDto, examples: REPLACE_USER_EXAMPLES })
  @ApiResponse({ status: 200, type: ScimUserDto, description: 'The user as stored', headers: ETAG_HEADER })
  @ApiScimErrors([400, 'invalidSyntax or invalidValue, as for POST'], 404, 409, 412, 413, 415)
  replace(@Param('id') id: string, @Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.replace(id, body, ctx);
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'patchUser',
    summary: 'Change a user (PATCH)',
    description:
      'Applies a PatchOp (RFC 7644 §3.5.2): add, remove and replace in any case, with attribute paths, value filters and URN-qualified ' +
      'paths, in the dialects Entra ID and Okta send. Deactivation is a replace of active with false. A PATCH that changes nothing ' +
      `keeps the version. ${NEEDS_ID}`,
  })
  @ApiParam(ID_PARAM)
  @ApiIfMatch()
  @ApiBody({ type: PatchOpDto, examples: PATCH_USER_EXAMPLES })
  @ApiResponse({ status: 200, type: ScimUserDto, description: 'The user as stored', headers: ETAG_HEADER })
  @ApiScimErrors(
    [
      400,
      'invalidSyntax (not a PatchOp), invalidPath, invalidFilter, invalidValue, mutability (a readOnly attribute such as groups) or noTarget',
    ],
    404,
    409,
    412,
    [413, 'The body is larger than BODY_LIMIT, or has more than 1,000 operations'],
    415,
  )
  patch(@Param('id') id: string, @Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.patch(id, body, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteUser',
    summary: 'Delete a user',
    description:
      'Deletes the user and its team memberships; later requests for it get 404. IdPs usually deactivate (PATCH active false) ' +
      `instead, which keeps the user. ${NEEDS_ID}`,
  })
  @ApiParam(ID_PARAM)
  @ApiIfMatch()
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiScimErrors(404, 412)
  delete(@Param('id') id: string, @ScimCtx() ctx: ScimContext) {
    return this.users.delete(id, ctx);
  }
}
