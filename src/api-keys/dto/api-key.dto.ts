import { ApiProperty } from '@nestjs/swagger';

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The SCIM id of the user the key speaks for' }) userId!: string;
  @ApiProperty({ example: 'laptop' }) name!: string;
  @ApiProperty({ example: 'sk_Ab3dE9xQ', description: 'The first characters of the key, to recognise it' }) prefix!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) expiresAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true, description: 'Recorded at most once a minute' }) lastUsedAt!: Date | null;
  @ApiProperty({
    enum: ['active', 'suspended', 'revoked', 'expired'],
    description: 'suspended: its user is deactivated (reactivation restores it); revoked: by an admin, final',
  })
  status!: string;
  @ApiProperty({ type: Date, nullable: true }) statusChangedAt!: Date | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'scim-token:541ef465-3eb9-4566-9d70-6d3bfada0408',
    description: 'Who set the status: admin, cli:<OS user>, or the SCIM token whose write (de)activated the user',
  })
  statusChangedBy!: string | null;
}

export class IssuedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'sk_Ab3dE9xQ…', description: 'The key itself. Shown only in this response: hand it to the user now.' })
  key!: string;
}
