/**
 * Writes `precache-manifest.json` into the build output: every file the app needs to start
 * offline (HTML, scripts, the worker, styles, ORT's wasm, icons, manifest), read from disk once
 * Vite has written everything, because worker chunks and the assets they pull in (ORT's .wasm)
 * are emitted by a separate worker build and never appear in one bundle object.
 * The service worker itself is left out (the browser fetches and updates it on its own), and
 * the embedded models too: they are cached when first used (43 MB is too much to
 * download up front for a visitor who may only try one task).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

export const PRECACHE_MANIFEST = 'precache-manifest.json';

/** What the service worker reads at install: the files, and a version that changes when any of them does. */
export interface PrecacheManifest {
  version: string;
  files: string[];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

export function precacheManifest(options: { exclude: (file: string) => boolean }): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'webformers-demo-precache',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle() {
      const outDir = config.build.outDir;
      const files = listFiles(outDir)
        .map((path) => relative(outDir, path).split(sep).join('/'))
        .filter((file) => file !== PRECACHE_MANIFEST && file !== 'sw.js' && !options.exclude(file))
        .sort();
      const hash = createHash('sha256');
      for (const file of files) hash.update(file).update(readFileSync(join(outDir, file)));
      const manifest: PrecacheManifest = { version: hash.digest('hex').slice(0, 16), files };
      writeFileSync(join(outDir, PRECACHE_MANIFEST), JSON.stringify(manifest, null, 1));
    },
  };
}
