import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('scim_tokens')
export class ScimTokenEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  /** The first characters of the token: enough to recognise it, useless to an attacker. */
  @Column({ type: 'text' }) prefix!: string;
  /** SHA-256 of the whole token; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'bytea', select: false }) tokenHash!: Buffer;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}
