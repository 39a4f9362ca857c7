import type { AddressInfo } from 'node:net';
import { connect, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, TestApp } from '../support/app';

/** Clients that send their request a byte at a time are cut off by HTTP_RECEIVE_TIMEOUT_MS, and never crowd out others. */
describe('slow clients', () => {
  let t: TestApp;
  let port: number;
  const RECEIVE_MS = 2000;

  beforeAll(async () => {
    t = await createTestApp({ HTTP_RECEIVE_TIMEOUT_MS: String(RECEIVE_MS) });
    await t.app.listen(0, '127.0.0.1');
    port = (t.http.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** A connection that starts a request (headers complete, or not) and then trickles one byte every 200 ms. */
  const trickle = (headersDone: boolean): Promise<{ closedAfterMs: number }> =>
    new Promise((resolve) => {
      const start = Date.now();
      const socket: Socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nContent-Type: application/scim+json\r\n`);
        if (headersDone) {
          socket.write('Content-Length: 100000\r\n\r\n{');
        }
        const timer = setInterval(() => socket.writable && socket.write(headersDone ? 'a' : 'X'), 200);
        socket.once('close', () => {
          clearInterval(timer);
          resolve({ closedAfterMs: Date.now() - start });
        });
      });
      socket.on('error', () => undefined);
      socket.on('data', () => undefined);
    });

  it('closes 100 trickling uploads (slow headers or slow bodies) within the receive timeout, and serves others meanwhile', async () => {
    const token = await t.token();
    const slow = Array.from({ length: 100 }, (_, i) => trickle(i % 2 === 0));
    await sleep(500);
    const res = await fetch(`http://127.0.0.1:${port}/scim/v2/Users?count=0`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const closed = await Promise.all(slow);
    for (const { closedAfterMs } of closed) {
      expect(closedAfterMs).toBeLessThan(RECEIVE_MS + 2500);
    }
  });
});
