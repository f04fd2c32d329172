/**
 * Builds the demo (`vite build` in apps/demo) and serves the build with `vite preview` on its
 * own port, with the isolation headers of its config: the tests drive what users get, not the
 * dev server. Pure Node: no test-framework imports.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DEMO_DIR = fileURLToPath(new URL('../../apps/demo/', import.meta.url));
export const DEMO_PORT = Number(process.env.WEBFORMERS_DEMO_PORT ?? 4181);

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

export function buildDemo(): void {
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
