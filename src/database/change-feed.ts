import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** The channel the database's triggers notify on; the payload is a topic such as `scim_token`. */
export const CHANGES_CHANNEL = 'scim_changes';
const RECONNECT_MS = [100, 500, 1000, 2000, 5000];

/**
 * The topics the database's triggers notify (migrations NotifyTokenChanges and CreateApiKeys), each naming what
 * changed: SCIM tokens; API keys; a user's active, role or userName; a user's team memberships; a team's name or
 * its deletion.
 */
export const Topic = {
  scimToken: 'scim_token',
  apiKey: 'api_key',
  user: 'user',
  membership: 'membership',
  team: 'team',
} as const;
export type Topic = (typeof Topic)[keyof typeof Topic];

/**
 * Cross-instance cache invalidation (DESIGN.md "Scale-out"): one connection per process LISTENs on CHANGES_CHANNEL,
 * which triggers notify when a cached table changes, and every cache subscribed to that topic is cleared. While the
 * connection is down, notifications could be missed, so `live` is false and caches keep nothing.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly subscribers = new Map<string, Set<() => void>>();
  private client?: Client;
  private attempt = 0;
  private closed = false;
  /** Whether notifications arrive: caches may keep entries only while this holds. */
  live = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Calls `onChange` whenever `topic` changes on any instance, and when the feed breaks (all is unknown then). */
  subscribe(topic: string, onChange: () => void): void {
    const set = this.subscribers.get(topic) ?? new Set();
    set.add(onChange);
    this.subscribers.set(topic, set);
  }

  /** A change this process committed: its own caches forget it at once, before the notification comes back. */
  changed(topic: string): void {
    this.subscribers.get(topic)?.forEach((f) => f());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.live = false;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) {
      return;
    }
    const client = new Client({
      connectionString: (this.dataSource.options as { url?: string }).url,
      application_name: 'scim-server changes',
    });
    client.on('notification', (n) => this.changed(n.payload ?? ''));
    client.on('error', () => undefined); // 'end' follows and handles it
    client.on('end', () => this.lost(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (this.closed) {
        await client.end(); // the app shut down while this reconnected
        return;
      }
      this.live = true;
      this.attempt = 0;
    } catch (e) {
      this.logger.warn({ err: e }, 'cache invalidation feed could not connect; caches are off until it does');
      await client.end().catch(() => undefined);
      this.lost(client);
    }
  }

  private lost(client: Client): void {
    if (this.client !== client || this.closed) {
      return;
    }
    this.client = undefined;
    if (this.live) {
      this.logger.warn('cache invalidation feed lost its connection; caches are off until it reconnects');
    }
    this.live = false;
    this.subscribers.forEach((set) => set.forEach((f) => f()));
    const delay = RECONNECT_MS[Math.min(this.attempt++, RECONNECT_MS.length - 1)];
    setTimeout(() => void this.connect(), delay).unref();
  }
}
