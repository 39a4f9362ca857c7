import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the CPU went during a measurement (Linux /proc only): the server process, the PostgreSQL server (the
 * postmaster and its children, when it runs on this machine), this process (the load generator or the pg client),
 * and the machine in total. On 2 cores the split shows who saturates.
 */
export interface CpuSnapshot {
  at: bigint;
  /** CPU seconds. */
  server: number;
  postgres: number;
  bench: number;
  machineBusy: number;
}

export interface CpuUse {
  /** CPU milliseconds per operation (postgres: NaN when the database server is not on this machine). */
  serverMsPerOp: number;
  postgresMsPerOp: number;
  benchMsPerOp: number;
  /** Cores busy on average, in total and by anything else (other processes, the kernel outside these processes). */
  busyCores: number;
  otherCores: number;
}

const TICK = 100; // USER_HZ on Linux

/** Fields of /proc/<pid>/stat after the command name: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function stat(pid: number | string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone, or not Linux
  }
}

/** utime + stime of a process, in seconds. */
function processCpu(pid: number | string): number {
  const f = stat(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICK : 0;
}

/** The parent of a PostgreSQL backend is its postmaster; undefined when that backend is not on this machine. */
export function parentPid(pid: number): number | undefined {
  const ppid = Number(stat(pid)?.[1]);
  return ppid > 1 ? ppid : undefined;
}

/**
 * The postmaster, its live children (backends, background workers) and, through cutime/cstime, the children it has
 * already reaped (a pool closing idle connections would otherwise make the sum drop).
 */
function postgresCpu(postmaster: number): number {
  const own = stat(postmaster);
  let total = own ? (Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) / TICK : 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(stat(pid)?.[1]) === postmaster) {
      total += processCpu(pid);
    }
  }
  return total;
}

function machineBusy(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return (user + nice + system + irq + softirq + steal) / TICK;
}

export function cpuSnapshot(pids: { server?: number; postmaster?: number }): CpuSnapshot | undefined {
  try {
    const { user, system } = process.cpuUsage();
    return {
      at: process.hrtime.bigint(),
      server: pids.server === undefined ? 0 : processCpu(pids.server),
      postgres: pids.postmaster === undefined ? NaN : postgresCpu(pids.postmaster),
      bench: (user + system) / 1e6,
      machineBusy: machineBusy(),
    };
  } catch {
    return undefined;
  }
}

export function cpuUse(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined, ops: number): CpuUse | undefined {
  if (!a || !b || ops === 0) {
    return undefined;
  }
  const seconds = Number(b.at - a.at) / 1e9;
  const d = {
    server: b.server - a.server,
    postgres: b.postgres - a.postgres,
    bench: b.bench - a.bench,
    busy: b.machineBusy - a.machineBusy,
  };
  return {
    serverMsPerOp: (d.server * 1000) / ops,
    postgresMsPerOp: (d.postgres * 1000) / ops,
    benchMsPerOp: (d.bench * 1000) / ops,
    busyCores: d.busy / seconds,
    otherCores: Math.max(0, d.busy - d.server - (d.postgres || 0) - d.bench) / seconds,
  };
}
