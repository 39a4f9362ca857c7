import { Injectable } from '@nestjs/common';
import { Stats, StatsRepository } from './stats.repository';

/** What an admin checks seats and access by: users, active users (the seats), teams, live API keys. */
@Injectable()
export class StatsService {
  constructor(private readonly stats: StatsRepository) {}

  get(): Promise<Stats> {
    return this.stats.counts();
  }
}
