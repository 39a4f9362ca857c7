import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  CursorCodec,
  listFilter,
  ListParams,
  PagePosition,
  Paging,
  queryFingerprint,
  resolveSort,
  resourceType,
  ResourceTypeRef,
  Sort,
  toPaging,
  type BoundFilter,
} from '../scim';
import type { ListPage } from './list-query';

/** A list request as the query string or a SearchRequest body carries it. */
export interface ListQuery extends ListParams {
  readonly filter?: string;
  readonly sortBy?: string;
  readonly sortOrder?: string;
}

/** A list request read and checked: what to match, in which order, which page, and the query a cursor is tied to. */
export interface ListPlan {
  readonly filter?: BoundFilter;
  readonly sort: Sort;
  readonly paging: Paging;
  readonly fingerprint: string;
}

/** RFC 9865 cursorTimeout: how long a list cursor stays valid, in seconds. */
export const CURSOR_TIMEOUT_SECONDS = 3600;
const FOLD_EVERY_MS = 60_000;

/**
 * What list pages need from the database besides their queries: the key that signs cursors (shared by all instances
 * through the settings table, so a cursor from one instance works on another), and the folding of the row counters
 * (migration CountRows), so that summing them stays cheap however many writes there were.
 */
@Injectable()
export class ListSupport implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ListSupport.name);
  private codec?: CursorCodec;
  private timer?: NodeJS.Timeout;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get cursors(): CursorCodec {
    if (!this.codec) {
      throw new Error('ListSupport is used before the application started');
    }
    return this.codec;
  }

  /** Reads a list request for a resource type: filter, sort and paging, each rejected with its SCIM error if wrong. */
  plan(ref: ResourceTypeRef, q: ListQuery, maxPageSize: number): ListPlan {
    const filter = listFilter(q.filter, ref);
    const sort = resolveSort(ref, q.sortBy, q.sortOrder);
    const fingerprint = queryFingerprint(resourceType(ref).name, q.filter, sort);
    return { filter, sort, fingerprint, paging: toPaging(q, maxPageSize, (cursor) => this.cursors.decode(cursor, fingerprint)) };
  }

  /** Where a page sits: its startIndex, or cursors to the pages next to it (RFC 9865). */
  position(plan: ListPlan, page: Pick<ListPage<unknown>, 'nextKeys' | 'previousKeys'>): PagePosition {
    if (plan.paging.kind === 'index') {
      return { startIndex: plan.paging.startIndex };
    }
    return {
      ...(page.nextKeys && { nextCursor: this.cursors.encode(plan.fingerprint, { keys: page.nextKeys, backwards: false }) }),
      ...(page.previousKeys && { previousCursor: this.cursors.encode(plan.fingerprint, { keys: page.previousKeys, backwards: true }) }),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.query(`INSERT INTO settings (name, value) VALUES ('cursor_key', $1) ON CONFLICT (name) DO NOTHING`, [
      randomBytes(32).toString('base64url'),
    ]);
    const [row] = (await this.dataSource.query(`SELECT value FROM settings WHERE name = 'cursor_key'`)) as { value: string }[];
    this.codec = new CursorCodec(row?.value ?? '', CURSOR_TIMEOUT_SECONDS);
    this.timer = setInterval(() => void this.foldCounts(), FOLD_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Replaces each table's counter rows by their sum, one instance at a time; rows written meanwhile stay as they are. */
  async foldCounts(): Promise<void> {
    try {
      await this.dataSource.transaction(async (tx) => {
        const [lock] = (await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext('row_counts')) AS got`)) as { got: boolean }[];
        if (lock?.got) {
          await tx.query(
            `WITH gone AS (DELETE FROM row_counts RETURNING table_name, delta)
             INSERT INTO row_counts SELECT table_name, sum(delta) FROM gone GROUP BY table_name`,
          );
        }
      });
    } catch (e) {
      this.logger.warn({ err: { message: (e as Error).message } }, 'could not fold the row counters; they are folded again later');
    }
  }
}
