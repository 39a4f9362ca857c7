// Compiles the TypeScript into dist/ (tsc -p tsconfig.build.json, incremental) only when a source changed since the last
// successful compile, so that npm start, npm run cli and the other scripts start at once when nothing changed; `--always`
// (npm run build) compiles anyway. `npm install` and `npm ci` run it as `prepare`, so a fresh checkout is compiled at
// install. It prints one line when it compiles. Plain JavaScript on purpose: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Written after a compile that succeeded; tsc's own .tsbuildinfo is written even when the compile has errors. */
const STAMP = join(root, 'dist', '.compiled');
/** What tsconfig.build.json compiles (package.json too: the version is read from it), and the configuration itself. */
const INPUTS = ['src', 'bench', 'ormconfig.ts', 'test/support/ports.ts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time under a path; a directory's own time counts, so a deleted or renamed file does too. */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) {
    return stat?.mtimeMs ?? 0;
  }
  return readdirSync(path).reduce((max, entry) => Math.max(max, newest(join(path, entry))), stat.mtimeMs);
}

const always = process.argv.includes('--always');
const stamp = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (!always && Math.max(...INPUTS.map((p) => newest(join(root, p)))) <= stamp) {
  process.exit(0);
}

let tsc;
try {
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write(
    existsSync(join(root, 'dist', 'src', 'main.js'))
      ? 'TypeScript is not installed (an install without devDependencies?); running dist/ as it is\n'
      : 'TypeScript is not installed, so the sources cannot be compiled: run npm install (or npm ci) with devDependencies\n',
  );
  process.exit(existsSync(join(root, 'dist', 'src', 'main.js')) ? 0 : 1);
}

const started = Date.now();
const why = always ? 'npm run build' : stamp === 0 ? 'not compiled yet' : 'sources changed since the last compile';
process.stderr.write(`Compiling the TypeScript sources into dist/ (${why}), about 10-30 s...\n`);
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write(`Compiling failed (tsc exited with ${result.status ?? result.signal}); dist/ may be out of date\n`);
  process.exit(result.status ?? 1);
}
mkdirSync(dirname(STAMP), { recursive: true });
writeFileSync(STAMP, `compiled in ${Date.now() - started} ms\n`);
// Dated when the compile started, so that a file saved during the compile counts as changed next time.
utimesSync(STAMP, started / 1000, started / 1000);
