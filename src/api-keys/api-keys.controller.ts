import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ApiAdmin, ApiScimErrors, idLinks } from '../http/api-docs';
import { ApiKeysService } from './api-keys.service';
import { CREATE_API_KEY_EXAMPLES } from './dto/api-key-examples';
import { ApiKeyDto, IssuedApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

/** Swagger UI cannot carry an id from one call to the next: the operations on a user's keys say where to get it. */
const USER_ID_PARAM = {
  name: 'id',
  description: 'The SCIM id of a user: the "id" of a POST /scim/v2/Users answer, or of a user in GET /Users',
};
const NEEDS_USER =
  'To try it, create a user first (POST /scim/v2/Users, Try it out, Execute) and put the "id" of its answer in the id field.';
const NO_USER: [404, string] = [404, 'There is no user with this id'];

@ApiTags('Admin: API keys')
@ApiAdmin()
@Auth('admin')
@Controller('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post('users/:id/api-keys')
  @ApiOperation({
    operationId: 'createApiKey',
    summary: 'Issue an API key for a user',
    description:
      'Issues a key with which the application recognises this user (through POST /introspect or GET /auth/verify). The plaintext ' +
      'is in this answer only: the server keeps its SHA-256 hash and its first 11 characters (the prefix shown in listings). ' +
      'Deactivating the user suspends its keys and reactivating restores them; deleting the user deletes them. ' +
      `Same as npm run cli -- key create --user USER --name NAME. ${NEEDS_USER}`,
  })
  @ApiParam(USER_ID_PARAM)
  @ApiBody({ type: CreateApiKeyDto, examples: CREATE_API_KEY_EXAMPLES })
  @ApiResponse({
    status: 201,
    type: IssuedApiKeyDto,
    description: 'Issued; key is the secret, shown only here',
    links: idLinks('keyId', 'revokeApiKey'),
  })
  @ApiScimErrors(
    [400, 'invalidValue: name is not 1-200 characters, or expiresInDays is not an integer from 1 to 3650'],
    NO_USER,
    [409, 'The user is not active: its access stays suspended until the identity provider reactivates it'],
    413,
    415,
  )
  create(@Param('id') userId: string, @Body() body: CreateApiKeyDto) {
    return this.keys.create(userId, body.name, body.expiresInDays);
  }

  @Get('users/:id/api-keys')
  @ApiOperation({
    operationId: 'listApiKeys',
    summary: "List a user's API keys",
    description:
      'Every key of the user, oldest first, revoked and expired ones included, with its status, who changed it and when it was last ' +
      `used (to the minute). Never the keys themselves. ${NEEDS_USER}`,
  })
  @ApiParam(USER_ID_PARAM)
  @ApiResponse({ status: 200, type: [ApiKeyDto], description: 'The keys' })
  @ApiScimErrors(NO_USER)
  list(@Param('id') userId: string) {
    return this.keys.list(userId);
  }

  @Delete('api-keys/:keyId')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    description:
      'Revokes the key for good, a suspended one too: the next check refuses it on every instance within a second. Revoking a ' +
      'revoked key again is no error. To try it, issue a key first (POST /admin/users/{id}/api-keys) and put the "id" of its answer ' +
      'in the keyId field.',
  })
  @ApiParam({ name: 'keyId', description: 'The id of a key (from POST or GET /admin/users/{id}/api-keys), not the key itself' })
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiScimErrors([404, 'There is no API key with this id'])
  revoke(@Param('keyId') keyId: string) {
    return this.keys.revoke(keyId);
  }
}
