import { ChangeFeed } from './change-feed';

interface Entry<V> {
  readonly value: V;
  readonly at: number;
}

/**
 * A small cache of values read from the database, each kept for at most `ttlMs` and cleared on every instance when
 * one of its topics changes (ChangeFeed). The TTL bounds staleness even if a notification were lost on a connection
 * that stalled without breaking. A load that a change overtook is not stored, so a slow read never outlives the
 * change that came after it.
 */
export class FreshCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private generation = 0;

  constructor(
    private readonly feed: ChangeFeed,
    topics: readonly string[],
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {
    topics.forEach((t) =>
      feed.subscribe(t, () => {
        this.generation++;
        this.entries.clear();
      }),
    );
  }

  /** The cached value for `key`, or what `load` reads (stored when it is defined and no change came meanwhile). */
  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs && this.feed.live) {
      return hit.value;
    }
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation && this.feed.live) {
      if (this.entries.size >= this.maxEntries) {
        this.entries.clear(); // rare (more live credentials than entries): start over rather than track recency
      }
      this.entries.set(key, { value, at: Date.now() });
    }
    return value;
  }
}
