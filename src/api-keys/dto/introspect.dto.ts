import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** RFC 7662 §2.1: `token=<key>` as a form (or the same as JSON). */
export class IntrospectRequestDto {
  @ApiProperty({ description: 'The API key to check', example: 'sk_…' })
  @IsString()
  @MaxLength(4096)
  token!: string;

  @ApiPropertyOptional({ description: 'Accepted and ignored (RFC 7662 §2.1): this server issues one kind of token', example: 'api_key' })
  @IsOptional()
  @IsString()
  token_type_hint?: string;
}

export class TeamRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Platform' }) displayName!: string;
}

/** RFC 7662 §2.2; `active` alone when the key is not live. */
export class IntrospectionDto {
  @ApiProperty({ description: 'false for anything not live: unknown, revoked, suspended, expired, or a deactivated or deleted user' })
  active!: boolean;
  @ApiProperty({ required: false, format: 'uuid', description: "The user's SCIM id" }) sub?: string;
  @ApiProperty({ required: false, description: "The user's userName" }) username?: string;
  @ApiProperty({ required: false, example: 'api_key' }) token_type?: string;
  @ApiProperty({ required: false, description: 'Created, in seconds since 1970' }) iat?: number;
  @ApiProperty({ required: false, description: 'Expires, in seconds since 1970; absent for a key without expiry' }) exp?: number;
  @ApiProperty({ required: false, format: 'uuid', description: "The key's id" }) jti?: string;
  @ApiProperty({
    required: false,
    example: 'member',
    description: 'The application role (SCIM_ADMIN_GROUP, then roles, then DEFAULT_USER_ROLE)',
  })
  role?: string;
  @ApiProperty({ required: false, type: [TeamRefDto], description: "The user's direct teams" }) teams?: TeamRefDto[];
}
