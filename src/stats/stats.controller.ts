import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ScimErrorDto } from '../http/scim-error.dto';
import { StatsDto } from './dto/stats.dto';
import { StatsService } from './stats.service';

@ApiTags('Admin: stats')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ScimErrorDto, description: 'Missing or wrong admin API key' })
@Auth('admin')
@Controller('admin/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiOkResponse({ type: StatsDto })
  get() {
    return this.stats.get();
  }
}
