import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAdmin, ApiScimErrors } from '../http/api-docs';
import { Auth } from './auth.decorators';
import { CreateScimTokenDto } from './dto/create-scim-token.dto';
import { IssuedScimTokenDto, ScimTokenDto } from './dto/scim-token.dto';
import { ScimTokensService } from './scim-tokens.service';

@ApiTags('Admin: SCIM tokens')
@ApiAdmin()
@Auth('admin')
@Controller('admin/scim-tokens')
export class ScimTokensController {
  constructor(private readonly tokens: ScimTokensService) {}

  @Post()
  @ApiOperation({
    operationId: 'createScimToken',
    summary: 'Issue a SCIM token',
    description:
      'Issues a bearer token for one identity provider connection. The plaintext is in this answer only: the server keeps just its ' +
      'SHA-256 hash and its first 13 characters (the prefix shown in listings). Give it to the IdP with the SCIM base URL. ' +
      'Same as npm run cli -- token create --name NAME.',
  })
  @ApiBody({
    type: CreateScimTokenDto,
    examples: {
      entra: { summary: 'A token for Entra ID that expires in a year', value: { name: 'Entra ID production', expiresInDays: 365 } },
      okta: { summary: 'A token without expiry', value: { name: 'Okta' } },
    },
  })
  @ApiResponse({ status: 201, type: IssuedScimTokenDto, description: 'Issued; token is the secret, shown only here' })
  @ApiScimErrors([400, 'invalidValue: name is not 1-200 characters, or expiresInDays is not an integer from 1 to 3650'], 413, 415)
  create(@Body() body: CreateScimTokenDto) {
    return this.tokens.create(body.name, body.expiresInDays);
  }

  @Get()
  @ApiOperation({
    operationId: 'listScimTokens',
    summary: 'List SCIM tokens',
    description:
      'Every token, oldest first, revoked and expired ones included, with when it was last used (to the minute). Never the secrets.',
  })
  @ApiResponse({ status: 200, type: [ScimTokenDto], description: 'The tokens' })
  list() {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'revokeScimToken',
    summary: 'Revoke a SCIM token',
    description:
      'The next request with this token gets 401, on every instance within a second. Revoking a revoked token again is no error. ' +
      'To try it, issue a token first (POST /admin/scim-tokens) and put the "id" of its answer in the id field.',
  })
  @ApiParam({ name: 'id', description: 'The id of a token (from POST or GET /admin/scim-tokens), not the token itself' })
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiScimErrors([404, 'There is no token with this id'])
  revoke(@Param('id') id: string) {
    return this.tokens.revoke(id);
  }
}
