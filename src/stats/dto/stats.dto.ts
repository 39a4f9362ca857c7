import { ApiProperty } from '@nestjs/swagger';

export class StatsDto {
  @ApiProperty({ example: 1200, description: 'Users, active or not' }) users!: number;
  @ApiProperty({ example: 1150, description: 'Active users: the seat count' }) activeUsers!: number;
  @ApiProperty({ example: 40, description: 'Teams (SCIM Groups)' }) teams!: number;
  @ApiProperty({ example: 2300, description: 'API keys that work now: active, unexpired, their user active' }) liveKeys!: number;
}
