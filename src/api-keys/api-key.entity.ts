import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What an admin or deprovisioning set; `expired` is read from expiresAt, never stored. */
export type StoredKeyStatus = 'active' | 'suspended' | 'revoked';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ type: 'text' }) name!: string;
  /** The first characters of the key: enough to recognise it, useless to an attacker. */
  @Column({ type: 'text' }) prefix!: string;
  /** SHA-256 of the whole key; the key itself is never stored. */
  @Column({ name: 'key_hash', type: 'bytea', select: false }) keyHash!: Buffer;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
  @Column({ type: 'text' }) status!: StoredKeyStatus;
  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true }) statusChangedAt!: Date | null;
  /** Who or what set the status: `admin`, `cli:<os user>`, or the SCIM token whose write (de)activated the user. */
  @Column({ name: 'status_changed_by', type: 'text', nullable: true }) statusChangedBy!: string | null;
}

/** A key with what an answer about it needs: its user's state and direct teams, read in one statement. */
export interface KeyState {
  id: string;
  keyHash: Buffer;
  status: StoredKeyStatus;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  userId: string;
  userName: string;
  userActive: boolean;
  /** The role the user's `roles` give (users.role); SCIM_ADMIN_GROUP is applied on top by the service. */
  userRole: string;
  teams: { id: string; displayName: string }[];
}
