import { ApiProperty } from '@nestjs/swagger';

export class ScimTokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Entra ID production' }) name!: string;
  @ApiProperty({ example: 'scim_Ab3dE9xQ', description: 'The first characters of the token, to recognise it' }) prefix!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) expiresAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true }) lastUsedAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true }) revokedAt!: Date | null;
}

export class IssuedScimTokenDto extends ScimTokenDto {
  @ApiProperty({ description: 'The token itself. Shown only in this response: store it in the identity provider now.' })
  token!: string;
}
