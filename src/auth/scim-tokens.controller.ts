import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ScimErrorDto } from '../http/scim-error.dto';
import { Auth } from './auth.decorators';
import { CreateScimTokenDto } from './dto/create-scim-token.dto';
import { IssuedScimTokenDto, ScimTokenDto } from './dto/scim-token.dto';
import { ScimTokensService } from './scim-tokens.service';

@ApiTags('Admin: SCIM tokens')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ScimErrorDto, description: 'Missing or wrong admin API key' })
@Auth('admin')
@Controller('admin/scim-tokens')
export class ScimTokensController {
  constructor(private readonly tokens: ScimTokensService) {}

  @Post()
  @ApiCreatedResponse({ type: IssuedScimTokenDto, description: 'The plaintext token is in this response only' })
  create(@Body() body: CreateScimTokenDto) {
    return this.tokens.create(body.name, body.expiresInDays);
  }

  @Get()
  @ApiOkResponse({ type: [ScimTokenDto] })
  list() {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked; the next request with this token gets 401' })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  revoke(@Param('id') id: string) {
    return this.tokens.revoke(id);
  }
}
