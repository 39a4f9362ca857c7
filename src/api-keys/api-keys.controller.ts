import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ScimErrorDto } from '../http/scim-error.dto';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, IssuedApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

@ApiTags('Admin: API keys')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ScimErrorDto, description: 'Missing or wrong admin API key' })
@Auth('admin')
@Controller('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post('users/:id/api-keys')
  @ApiCreatedResponse({ type: IssuedApiKeyDto, description: 'The plaintext key is in this response only' })
  @ApiNotFoundResponse({ type: ScimErrorDto, description: 'No user with this id' })
  @ApiConflictResponse({ type: ScimErrorDto, description: 'The user is not active' })
  create(@Param('id') userId: string, @Body() body: CreateApiKeyDto) {
    return this.keys.create(userId, body.name, body.expiresInDays);
  }

  @Get('users/:id/api-keys')
  @ApiOkResponse({ type: [ApiKeyDto], description: 'Oldest first, revoked and expired ones included; never a secret' })
  @ApiNotFoundResponse({ type: ScimErrorDto, description: 'No user with this id' })
  list(@Param('id') userId: string) {
    return this.keys.list(userId);
  }

  @Delete('api-keys/:keyId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked for good; the next check refuses the key on every instance' })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  revoke(@Param('keyId') keyId: string) {
    return this.keys.revoke(keyId);
  }
}
