import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayContains, IsArray, IsInt, IsOptional, IsString } from 'class-validator';
import { URN } from '../scim';

/** RFC 7644 §3.4.3 POST …/.search body: the list query, sent as JSON so that long filters stay out of URLs and logs. */
export class SearchRequestDto {
  @ApiProperty({ example: [URN.SearchRequest] })
  @IsArray()
  @ArrayContains([URN.SearchRequest], { message: `schemas must contain ${URN.SearchRequest}` })
  schemas!: string[];

  @ApiPropertyOptional({ example: 'userName sw "j"' })
  @IsOptional()
  @IsString()
  filter?: string;

  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @IsInt()
  startIndex?: number;

  @ApiPropertyOptional({ example: 10 })
  @IsOptional()
  @IsInt()
  count?: number;

  @ApiPropertyOptional({ type: [String], example: ['userName'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  attributes?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  excludedAttributes?: string[];
}
