import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayContains, IsArray, IsInt, IsOptional, IsString } from 'class-validator';
import { sameName, URN } from '../scim';

/** RFC 7643 §2.5: null is unassigned, so `"filter": null` (and the like) reads as no filter, not as a value. */
const nullIsAbsent = Transform(({ value }: { value: unknown }) => (value === null ? undefined : value));

/**
 * RFC 7644 §3.4.3 POST …/.search body: the list query, sent as JSON so that long filters stay out of URLs and logs. The
 * property examples make one valid request together, the body Swagger UI builds from the schema, for Users, Groups and
 * the root alike: index paging, so cursor is null (unassigned, RFC 7643 §2.5), and attributes, so excludedAttributes
 * is null.
 */
export class SearchRequestDto {
  @ApiProperty({ example: [URN.SearchRequest] })
  @IsArray()
  // URNs are case-insensitive (RFC 7643 §2.1): any spelling of the SearchRequest URN counts.
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v) => (typeof v === 'string' && sameName(v, URN.SearchRequest) ? URN.SearchRequest : v)) : value,
  )
  @ArrayContains([URN.SearchRequest], { message: `schemas must contain ${URN.SearchRequest}` })
  schemas!: string[];

  @ApiPropertyOptional({ example: 'displayName sw "a"', description: 'RFC 7644 §3.4.2.2 filter; absent or null: everything' })
  @IsOptional()
  @nullIsAbsent
  @IsString()
  filter?: string;

  @ApiPropertyOptional({ example: 1, description: '1-based index of the first result' })
  @IsOptional()
  @nullIsAbsent
  @IsInt()
  startIndex?: number;

  @ApiPropertyOptional({ example: 10, description: 'Page size, at most SCIM_MAX_RESULTS' })
  @IsOptional()
  @nullIsAbsent
  @IsInt()
  count?: number;

  @ApiPropertyOptional({ description: 'RFC 7644 §3.4.2.3: a single-valued attribute to sort by', example: 'displayName' })
  @IsOptional()
  @nullIsAbsent
  @IsString()
  sortBy?: string;

  @ApiPropertyOptional({ enum: ['ascending', 'descending'], description: 'ascending (the default) or descending' })
  @IsOptional()
  @nullIsAbsent
  @IsString()
  sortOrder?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'RFC 9865 cursor paging: "" for the first page, then a nextCursor or previousCursor; not with startIndex',
  })
  @IsOptional()
  @nullIsAbsent
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ type: [String], example: ['displayName'], description: 'Attributes to return, besides id and schemas' })
  @IsOptional()
  @nullIsAbsent
  @IsArray()
  @IsString({ each: true })
  attributes?: string[];

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: null,
    description: 'Attributes to leave out (give attributes or this, not both)',
  })
  @IsOptional()
  @nullIsAbsent
  @IsArray()
  @IsString({ each: true })
  excludedAttributes?: string[];
}
