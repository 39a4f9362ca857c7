import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { URN } from '../../scim';

/*
 * Swagger documentation of the User resource. Validation, coercion ("True" → true, manager as a bare id) and
 * case-insensitive names are the protocol core's job (validateResource), so every field is only @Allow()ed here.
 */

class NameDto {
  @ApiPropertyOptional({ example: 'Barbara Jensen' }) @Allow() formatted?: string;
  @ApiPropertyOptional({ example: 'Jensen' }) @Allow() familyName?: string;
  @ApiPropertyOptional({ example: 'Barbara' }) @Allow() givenName?: string;
  @ApiPropertyOptional() @Allow() middleName?: string;
  @ApiPropertyOptional() @Allow() honorificPrefix?: string;
  @ApiPropertyOptional() @Allow() honorificSuffix?: string;
}

class MultiValueDto {
  @ApiProperty({ example: 'bjensen@example.com' }) @Allow() value!: string;
  @ApiPropertyOptional({ example: 'work' }) @Allow() type?: string;
  @ApiPropertyOptional({ example: true }) @Allow() primary?: boolean;
  @ApiPropertyOptional() @Allow() display?: string;
}

class ManagerDto {
  @ApiPropertyOptional({ description: 'id of the manager (a bare string is accepted too)' }) @Allow() value?: string;
  @ApiPropertyOptional({ readOnly: true }) @Allow() displayName?: string;
}

class EnterpriseUserDto {
  @ApiPropertyOptional() @Allow() employeeNumber?: string;
  @ApiPropertyOptional() @Allow() costCenter?: string;
  @ApiPropertyOptional() @Allow() organization?: string;
  @ApiPropertyOptional() @Allow() division?: string;
  @ApiPropertyOptional({ example: 'Engineering' }) @Allow() department?: string;
  @ApiPropertyOptional({ type: ManagerDto }) @Allow() manager?: ManagerDto;
}

class GroupRefDto {
  @ApiProperty({ readOnly: true }) value!: string;
  @ApiPropertyOptional({ readOnly: true }) $ref?: string;
  @ApiPropertyOptional({ readOnly: true }) display?: string;
  @ApiPropertyOptional({ readOnly: true, enum: ['direct', 'indirect'] }) type?: string;
}

class MetaDto {
  @ApiProperty({ example: 'User' }) resourceType!: string;
  @ApiProperty() created!: string;
  @ApiProperty() lastModified!: string;
  @ApiProperty() location!: string;
  @ApiProperty({ example: 'W/"1"' }) version!: string;
}

/** RFC 7643 §4.1 User with the §4.3 Enterprise extension. */
export class ScimUserDto {
  @ApiProperty({ example: [URN.User, URN.EnterpriseUser] }) @Allow() schemas!: string[];
  @ApiProperty({ readOnly: true, format: 'uuid' }) id?: string;
  @ApiPropertyOptional({ description: "The IdP's identifier (e.g. Entra objectId)" }) @Allow() externalId?: string;
  @ApiProperty({ example: 'bjensen@example.com', description: 'Unique, case-insensitively' }) @Allow() userName!: string;
  @ApiPropertyOptional({ type: NameDto }) @Allow() name?: NameDto;
  @ApiPropertyOptional({ example: 'Babs Jensen' }) @Allow() displayName?: string;
  @ApiPropertyOptional() @Allow() nickName?: string;
  @ApiPropertyOptional() @Allow() profileUrl?: string;
  @ApiPropertyOptional() @Allow() title?: string;
  @ApiPropertyOptional() @Allow() userType?: string;
  @ApiPropertyOptional() @Allow() preferredLanguage?: string;
  @ApiPropertyOptional() @Allow() locale?: string;
  @ApiPropertyOptional() @Allow() timezone?: string;
  @ApiPropertyOptional({ example: true, description: 'false deprovisions the user ("False" strings accepted)' }) @Allow() active?: boolean;
  @ApiPropertyOptional({ writeOnly: true, description: 'Stored only as an scrypt hash; never returned' }) @Allow() password?: string;
  @ApiPropertyOptional({ type: [MultiValueDto] }) @Allow() emails?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) @Allow() phoneNumbers?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) @Allow() ims?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) @Allow() photos?: MultiValueDto[];
  @ApiPropertyOptional({ type: [Object] }) @Allow() addresses?: object[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) @Allow() entitlements?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto], description: "The primary value is the user's application role (USER_ROLES)" })
  @Allow()
  roles?: MultiValueDto[];
  @ApiPropertyOptional({ type: [MultiValueDto] }) @Allow() x509Certificates?: MultiValueDto[];
  @ApiPropertyOptional({ type: [GroupRefDto], readOnly: true }) groups?: GroupRefDto[];
  @ApiPropertyOptional({ name: URN.EnterpriseUser, type: EnterpriseUserDto }) @Allow() [URN.EnterpriseUser]?: EnterpriseUserDto;
  @ApiProperty({ type: MetaDto, readOnly: true }) meta?: MetaDto;
}

export class UserListResponseDto {
  @ApiProperty({ example: [URN.ListResponse] }) schemas!: string[];
  @ApiProperty({ example: 1 }) totalResults!: number;
  @ApiProperty({ example: 1 }) startIndex!: number;
  @ApiProperty({ example: 1 }) itemsPerPage!: number;
  @ApiProperty({ type: [ScimUserDto] }) Resources!: ScimUserDto[];
}
