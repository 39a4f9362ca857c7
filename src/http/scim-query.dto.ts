import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString } from 'class-validator';

/** RFC 7644 §3.9 projection parameters, accepted on every operation that returns a resource. */
export class AttributesQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated attributes to return (plus those returned always)', example: 'userName,emails' })
  @IsOptional()
  @IsString()
  attributes?: string;

  @ApiPropertyOptional({ description: 'Comma-separated attributes to leave out', example: 'members' })
  @IsOptional()
  @IsString()
  excludedAttributes?: string;
}

/** RFC 7644 §3.4.2 query parameters of a list request. */
export class ListQueryDto extends AttributesQueryDto {
  @ApiPropertyOptional({ description: 'RFC 7644 §3.4.2.2 filter', example: 'userName eq "bjensen@example.com"' })
  @IsOptional()
  @IsString()
  filter?: string;

  @ApiPropertyOptional({ description: '1-based index of the first result; values below 1 are read as 1', example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'startIndex must be an integer' })
  startIndex?: number;

  @ApiPropertyOptional({ description: 'Page size; 0 returns only totalResults; capped at SCIM_MAX_RESULTS', example: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'count must be an integer' })
  count?: number;
}
