import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ScimResource } from '../scim';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_name', type: 'text' }) userName!: string;
  @Column({ name: 'external_id', type: 'text', nullable: true }) externalId!: string | null;
  @Column({ name: 'display_name', type: 'text', nullable: true }) displayName!: string | null;
  @Column({ type: 'boolean' }) active!: boolean;
  @Column({ name: 'primary_email', type: 'text', nullable: true }) primaryEmail!: string | null;
  /** lower(value) of every email, for `emails.value eq` through a GIN index. */
  @Column({ type: 'text', array: true }) emails!: string[];
  @Column({ type: 'text' }) role!: string;
  /** The canonical SCIM representation without id, meta, groups and password. */
  @Column({ type: 'jsonb' }) data!: ScimResource;
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false }) passwordHash!: string | null;
  @Column({ type: 'timestamptz' }) created!: Date;
  @Column({ name: 'last_modified', type: 'timestamptz' }) lastModified!: Date;
  @Column({ type: 'integer' }) version!: number;
  /** Direct team memberships, selected with the row by UsersRepository (not a column). */
  groups!: UserGroup[];
}

export interface UserGroup {
  groupId: string;
  display: string;
}
