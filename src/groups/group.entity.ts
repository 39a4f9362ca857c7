import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ScimResource } from '../scim';

@Entity('groups')
export class GroupEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'display_name', type: 'text' }) displayName!: string;
  @Column({ name: 'external_id', type: 'text', nullable: true }) externalId!: string | null;
  /** The canonical SCIM Group without id, meta and members (members live in group_members). */
  @Column({ type: 'jsonb' }) data!: ScimResource;
  @Column({ type: 'timestamptz' }) created!: Date;
  @Column({ name: 'last_modified', type: 'timestamptz' }) lastModified!: Date;
  @Column({ type: 'integer' }) version!: number;
}

/** One member of a team as SCIM shows it, read from group_members with its user's or group's name. */
export interface MemberRow {
  groupId: string;
  memberId: string;
  type: 'User' | 'Group';
  display: string | null;
}
