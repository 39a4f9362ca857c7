import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type ScimType, URN } from '../scim';

/** RFC 7644 §3.12 error body, for Swagger. */
export class ScimErrorDto {
  @ApiProperty({ example: [URN.Error] }) schemas!: string[];
  @ApiProperty({ example: '400', description: 'The HTTP status, as a string' }) status!: string;
  @ApiPropertyOptional({
    example: 'invalidValue',
    enum: [
      'invalidFilter',
      'tooMany',
      'uniqueness',
      'mutability',
      'invalidSyntax',
      'invalidPath',
      'noTarget',
      'invalidValue',
      'invalidVers',
      'sensitive',
    ],
  })
  scimType?: ScimType;
  @ApiProperty({ example: 'A readable explanation of what to change' }) detail!: string;
}
