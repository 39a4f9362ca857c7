import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface Stats {
  users: number;
  activeUsers: number;
  teams: number;
  liveKeys: number;
}

@Injectable()
export class StatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The counts in one statement (one snapshot). Inactive users come from their partial index; a live key is active,
   * unexpired, and its user active.
   */
  async counts(): Promise<Stats> {
    const rows = (await this.dataSource.query(
      `SELECT u.total AS users, u.total - (SELECT count(*) FROM users WHERE NOT active)::int AS "activeUsers",
         (SELECT count(*) FROM groups)::int AS teams,
         (SELECT count(*) FROM api_keys k JOIN users ku ON ku.id = k.user_id
          WHERE ku.active AND k.status = 'active' AND (k.expires_at IS NULL OR k.expires_at > now()))::int AS "liveKeys"
       FROM (SELECT count(*)::int AS total FROM users) u`,
    )) as Stats[];
    return rows[0] as Stats;
  }
}
