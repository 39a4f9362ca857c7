import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
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
import { ScimUserDto, UserListResponseDto } from './dto/scim-user.dto';
import { UsersService } from './users.service';

@ApiTags('SCIM Users')
@ApiBearerAuth('scim')
@ApiUnauthorizedResponse({ type: ScimErrorDto })
@ApiBadRequestResponse({ type: ScimErrorDto, description: 'invalidFilter, invalidValue, invalidPath, invalidSyntax, mutability, noTarget' })
@Auth('scim')
@Controller('scim/v2/Users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @ApiBody({ type: ScimUserDto })
  @ApiCreatedResponse({ type: ScimUserDto, description: 'With Location and ETag headers' })
  @ApiConflictResponse({ type: ScimErrorDto, description: 'uniqueness: the userName is taken' })
  create(@Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.create(body, ctx);
  }

  @Get()
  @ApiOkResponse({ type: UserListResponseDto })
  list(@Query() q: ListQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.list(q, ctx);
  }

  @Post('.search')
  @HttpCode(200)
  @ApiOkResponse({ type: UserListResponseDto })
  search(@Body() body: SearchRequestDto, @ScimCtx() ctx: ScimContext) {
    return this.users.list(body, { ...ctx, attributes: body.attributes, excludedAttributes: body.excludedAttributes });
  }

  @Get(':id')
  @ApiOkResponse({ type: ScimUserDto })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  get(@Param('id') id: string, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.get(id, ctx);
  }

  @Put(':id')
  @ApiBody({ type: ScimUserDto })
  @ApiOkResponse({ type: ScimUserDto })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  @ApiConflictResponse({ type: ScimErrorDto })
  @ApiPreconditionFailedResponse({ type: ScimErrorDto, description: 'If-Match does not match the current version' })
  replace(@Param('id') id: string, @Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.replace(id, body, ctx);
  }

  @Patch(':id')
  @ApiBody({ type: PatchOpDto })
  @ApiOkResponse({ type: ScimUserDto })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  @ApiPreconditionFailedResponse({ type: ScimErrorDto })
  patch(@Param('id') id: string, @Body() body: unknown, @Query() _q: AttributesQueryDto, @ScimCtx() ctx: ScimContext) {
    return this.users.patch(id, body, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; a later GET answers 404' })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  delete(@Param('id') id: string, @ScimCtx() ctx: ScimContext) {
    return this.users.delete(id, ctx);
  }
}
