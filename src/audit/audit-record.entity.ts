import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One audited change: who, from where, what, on which resource, with which outcome, and a summary of names and counts. */
@Entity('audit_log')
export class AuditRecordEntity {
  /** bigint: PostgreSQL hands it over as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  /** `scim-token`, `admin`, `cli` */
  @Column({ name: 'actor_type', type: 'text' }) actorType!: string;
  @Column({ name: 'actor_id', type: 'text', nullable: true }) actorId!: string | null;
  @Column({ name: 'actor_name', type: 'text', nullable: true }) actorName!: string | null;
  @Column({ name: 'user_agent', type: 'text', nullable: true }) userAgent!: string | null;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId!: string | null;
  @Column({ type: 'text' }) method!: string;
  @Column({ type: 'text' }) path!: string;
  @Column({ name: 'resource_type', type: 'text', nullable: true }) resourceType!: string | null;
  @Column({ name: 'resource_id', type: 'text', nullable: true }) resourceId!: string | null;
  @Column({ type: 'integer' }) status!: number;
  @Column({ name: 'scim_type', type: 'text', nullable: true }) scimType!: string | null;
  @Column({ type: 'jsonb', nullable: true }) summary!: Record<string, unknown> | null;
}

export type NewAuditRecord = Omit<AuditRecordEntity, 'id'>;
