/**
 * Builds the demo (`vite build` in apps/demo, after the library when its sources changed) and
 * serves the build with `vite preview` on its own port, with the isolation headers of its
 * config: the tests drive what users get, not the dev server. Pure Node: no test-framework imports.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_DIR = fileURLToPath(new URL('../../apps/demo/', import.meta.url));
export const DEMO_PORT = Number(process.env.WEBFORMERS_DEMO_PORT ?? 4181);

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

const LIBRARY_DIR = fileURLToPath(new URL('../../packages/webformers/', import.meta.url));

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(newest, newestSource(path));
    return entry.name.endsWith('.test.ts') ? newest : Math.max(newest, statSync(path).mtimeMs);
  }, 0);
}

/** The demo imports the library's built `dist/` (as an app would); rebuild it when a source is newer. */
function buildLibraryIfStale(): void {
  const built = join(LIBRARY_DIR, 'dist/worker/index.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(LIBRARY_DIR, 'src'))) return;
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: LIBRARY_DIR, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building webformers failed:\n${result.stdout}\n${result.stderr}`);
}

export function buildDemo(): void {
  buildLibraryIfStale();
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: DEMO_DIR, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vite build of the demo failed:\n${result.stdout}\n${result.stderr}`);
}

export async function startDemoServer(port = DEMO_PORT): Promise<DemoServer> {
  const child: ChildProcess = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: DEMO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`vite preview did not answer on ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    close: async () => {
      // Detached with its own process group, so npx and the vite it started end together.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
    },
  };
}
