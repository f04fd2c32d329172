/**
 * Starting the module worker in the three ways pages load webformers:
 * - through a bundler: the literal `new Worker(new URL('./worker-entry.js', import.meta.url),
 *   { type: 'module' })` below is the form Vite and webpack recognise and rewrite;
 * - from another origin (a CDN): browsers refuse a cross-origin worker script, so a same-origin
 *   Blob URL worker imports the real entry by absolute URL (the CDN must send CORS headers);
 * - from a URL the page chooses (`workerURL`), e.g. an offline PWA's own copy.
 */
import { WorkerStartError } from './errors.js';
import type { WorkerLike } from './worker-connection.js';

export function spawnWorker(workerURL?: string | URL): WorkerLike {
  const target = workerURL === undefined ? new URL('./worker-entry.js', import.meta.url) : new URL(workerURL, globalThis.location?.href);
  try {
    if (isCrossOrigin(target)) return trampolineWorker(target);
    if (workerURL === undefined) return new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module' });
    return new Worker(target, { type: 'module' });
  } catch (cause) {
    throw new WorkerStartError(target.href, cause);
  }
}

function isCrossOrigin(url: URL): boolean {
  const here = globalThis.location?.origin;
  return here !== undefined && url.origin !== here && url.protocol !== 'blob:' && url.protocol !== 'data:';
}

/** A same-origin Blob worker whose only job is to import the cross-origin entry module. */
function trampolineWorker(target: URL): WorkerLike {
  const source = `import ${JSON.stringify(target.href)};\n`;
  const blobURL = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(blobURL, { type: 'module' });
  // Revoked when the worker ends: revoking sooner could race the worker's own fetch of the Blob.
  const terminate = worker.terminate.bind(worker);
  worker.terminate = () => {
    URL.revokeObjectURL(blobURL);
    terminate();
  };
  return worker;
}
