/// <reference lib="webworker" />
/**
 * Makes the demo work offline after one visit. At install it stores every file of the build
 * listed in `precache-manifest.json` (app shell, webformers worker, ORT wasm); embedded models
 * are stored the first time they are fetched. Same-origin GETs are answered from those caches
 * first; everything else (the Hub) goes to the network untouched, and Hub files live in the
 * library's IndexedDB store instead. Lookups ignore `Vary`: the preview server sends
 * `Vary: Origin`, and module scripts are requested with an Origin header that the install
 * requests did not have, so a strict match would miss every script when offline.
 */
import { MODELS_CACHE, SHELL_CACHE_PREFIX } from './offline-files.js';

declare const self: ServiceWorkerGlobalScope;

interface PrecacheManifest {
  version: string;
  files: string[];
}

const scope = new URL(self.registration.scope);
const modelsPath = `${scope.pathname}models/`;

async function readManifest(): Promise<PrecacheManifest> {
  const response = await fetch(new URL('precache-manifest.json', scope), { cache: 'no-store' });
  return (await response.json()) as PrecacheManifest;
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const manifest = await readManifest();
    const cache = await caches.open(SHELL_CACHE_PREFIX + manifest.version);
    const urls = ['./', ...manifest.files].map((file) => new URL(file, scope).href);
    await cache.addAll(urls);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const manifest = await readManifest().catch(() => undefined);
    const current = manifest && SHELL_CACHE_PREFIX + manifest.version;
    const stale = (await caches.keys()).filter((name) => name.startsWith(SHELL_CACHE_PREFIX) && name !== current);
    await Promise.all(stale.map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== scope.origin) return;
  if (url.pathname.startsWith(modelsPath)) {
    event.respondWith(modelFile(event.request));
    return;
  }
  event.respondWith(shellFile(event.request));
});

/** Cache first; a miss is fetched and kept, so a model used once loads offline later. */
async function modelFile(request: Request): Promise<Response> {
  const cache = await caches.open(MODELS_CACHE);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.status === 200) await cache.put(request, response.clone());
  return response;
}

/** Shell files from the precache; pages fall back to the cached index.html when offline. */
async function shellFile(request: Request): Promise<Response> {
  const hit = await caches.match(request, { ignoreSearch: request.mode === 'navigate', ignoreVary: true });
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch (error) {
    const page = request.mode === 'navigate' ? await caches.match(new URL('./', scope).href) : undefined;
    if (page) return page;
    throw error;
  }
}
