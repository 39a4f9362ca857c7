import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { preparedQuery } from '../database/prepared';
import { ScimTokenEntity } from './scim-token.entity';

@Injectable()
export class ScimTokensRepository {
  constructor(@InjectRepository(ScimTokenEntity) private readonly repo: Repository<ScimTokenEntity>) {}

  insert(row: Pick<ScimTokenEntity, 'name' | 'prefix' | 'tokenHash' | 'expiresAt'>): Promise<ScimTokenEntity> {
    return this.repo.save(this.repo.create(row));
  }

  /** Candidates for a presented token; the caller compares hashes in constant time. */
  findWithHashByPrefix(prefix: string): Promise<ScimTokenEntity[]> {
    // Raw SQL: this runs on every SCIM request, and the query builder costs more than the query.
    return preparedQuery(
      this.repo.manager,
      `SELECT id, name, token_hash AS "tokenHash", expires_at AS "expiresAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
       FROM scim_tokens WHERE prefix = $1`,
      [prefix],
    );
  }

  findAll(): Promise<ScimTokenEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Marks the token revoked; true when a token with that id exists (revoking twice is not an error). */
  async revoke(id: string): Promise<boolean> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return this.repo.existsBy({ id });
  }

  async touch(id: string): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: () => 'now()' });
  }
}
