import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ScimTokenEntity } from './scim-token.entity';

@Injectable()
export class ScimTokensRepository {
  constructor(@InjectRepository(ScimTokenEntity) private readonly repo: Repository<ScimTokenEntity>) {}

  insert(row: Pick<ScimTokenEntity, 'name' | 'prefix' | 'tokenHash' | 'expiresAt'>): Promise<ScimTokenEntity> {
    return this.repo.save(this.repo.create(row));
  }

  /** Candidates for a presented token; the caller compares hashes in constant time. */
  findWithHashByPrefix(prefix: string): Promise<ScimTokenEntity[]> {
    return this.repo.createQueryBuilder('t').addSelect('t.tokenHash').where('t.prefix = :prefix', { prefix }).getMany();
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
