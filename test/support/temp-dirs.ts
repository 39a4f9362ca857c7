import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Temporary directories of one spec file, under the OS temp dir: whatever a test has not removed itself is removed
 * after the file's tests, with any embedded PostgreSQL a failed test left running in it stopped first, so a test run
 * leaves nothing behind. (Jest loads support modules afresh for each spec file, so this set is the file's own.)
 */
const made = new Set<string>();
// Registered when a spec file imports this module (hooks cannot be added once tests run); not in global setup.
if (typeof afterAll === 'function') {
  afterAll(() => removeTempDirs());
}

/** A new directory `<tmp>/<prefix>XXXXXX`, mode 0755 so that the postgres OS user (when tests run as root) can reach it. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  made.add(dir);
  return dir;
}

/** Removes a directory now (a test done with it), stopping PostgreSQL in it first. */
export async function removeTempDir(dir: string): Promise<void> {
  await stopPostgresUnder(dir);
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of [...made]) {
    await removeTempDir(dir);
  }
}

/** Fast shutdown (SIGINT) of every live postmaster whose data directory is under `dir`. */
async function stopPostgresUnder(dir: string): Promise<void> {
  for (const pidFile of postmasterPidFiles(dir, 4)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
      continue;
    }
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 200 && alive(pid); i++) {
      await sleep(50);
    }
    if (alive(pid)) {
      process.kill(pid, 'SIGKILL');
    }
  }
}

function postmasterPidFiles(dir: string, depth: number): string[] {
  if (depth < 0 || !existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? postmasterPidFiles(join(dir, e.name), depth - 1) : e.name === 'postmaster.pid' ? [join(dir, e.name)] : [],
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
