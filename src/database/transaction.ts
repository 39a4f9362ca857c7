import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { sqlState } from './pg-errors';

/** An open transaction, handed from a service to the repositories it calls; opaque to services. */
export type Tx = EntityManager;

/** deadlock_detected and serialization_failure: PostgreSQL aborted one of two colliding transactions; retrying is safe. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/** Only services open transactions (STYLE §25), through this, and never see the DataSource. */
@Injectable()
export class Transactions {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one transaction, retried when PostgreSQL aborts it for a deadlock (e.g. a team PATCH adding a user
   * while that user is deleted: each waits on the other's row). `work` must only touch the database, so a retry is clean.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction(work);
      } catch (e) {
        if (attempt >= ATTEMPTS || !RETRYABLE.has(sqlState(e) ?? '')) {
          throw e;
        }
      }
    }
  }
}
