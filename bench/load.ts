import { Agent, request } from 'node:http';
import { cpuSnapshot, CpuSnapshot, cpuUse, CpuUse } from './cpu';

/** One request of a scenario: resolves with undefined on success, or a short description of what went wrong. */
export type Operation = (worker: number) => Promise<string | undefined>;

export interface Measurement {
  /** Successful operations per second. */
  rps: number;
  /** Latency percentiles of successful operations, in milliseconds. */
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  /** Distinct error descriptions with their counts (the first 100 characters of each). */
  errorKinds: Map<string, number>;
  /** CPU per operation over the recorded window, where /proc is available. */
  cpu?: CpuUse;
}

/**
 * Runs `op` back-to-back in `concurrency` loops: `warmupSeconds` unrecorded, then `seconds` recorded. Latency is
 * measured per operation with process.hrtime, from the call until the whole response has arrived.
 */
export async function measure(
  op: Operation,
  o: { concurrency: number; seconds: number; warmupSeconds: number; signal?: AbortSignal },
  pids: { server?: number; postmaster?: number } = {},
): Promise<Measurement> {
  const start = process.hrtime.bigint();
  let cpuStart: CpuSnapshot | undefined;
  const timer = setTimeout(() => (cpuStart = cpuSnapshot(pids)), o.warmupSeconds * 1000);
  const recordFrom = start + BigInt(Math.round(o.warmupSeconds * 1e9));
  const end = recordFrom + BigInt(Math.round(o.seconds * 1e9));
  const latencies: number[] = [];
  const errorKinds = new Map<string, number>();
  let errors = 0;
  const loop = async (worker: number) => {
    for (;;) {
      const t0 = process.hrtime.bigint();
      if (t0 >= end || o.signal?.aborted) {
        return;
      }
      let error: string | undefined;
      try {
        error = await op(worker);
      } catch (e) {
        error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
      if (t0 < recordFrom) {
        continue;
      }
      if (error === undefined) {
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } else {
        errors++;
        const kind = error.slice(0, 100);
        errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => loop(w)));
  clearTimeout(timer);
  const cpu = cpuUse(cpuStart, cpuSnapshot(pids), latencies.length + errors);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { rps: latencies.length / o.seconds, p50: pct(50), p99: pct(99), ok: latencies.length, errors, errorKinds, cpu };
}

export interface HttpResponse {
  status: number;
  body: string;
}

/** A keep-alive HTTP client for one server: `concurrency` sockets, reused for every request. */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    concurrency: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  }

  send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.port, method, path, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
