import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import { ApiAdmin } from '../http/api-docs';
import { StatsDto } from './dto/stats.dto';
import { StatsService } from './stats.service';

@ApiTags('Admin: stats')
@ApiAdmin()
@Auth('admin')
@Controller('admin/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiOperation({
    operationId: 'getStats',
    summary: 'Count users, seats, teams and live keys',
    description:
      'What an admin checks seats and access by: all users, the active ones (the seat count), teams, and the API keys that work ' +
      'now (active, unexpired, their user active). Counted when asked.',
  })
  @ApiResponse({ status: 200, type: StatsDto, description: 'The counts' })
  get() {
    return this.stats.get();
  }
}
