/**
 * The Cache Storage names the service worker and the page agree on. The shell cache is
 * versioned by the build; the embedded models' cache is not, so a new build keeps them.
 */
export const SHELL_CACHE_PREFIX = 'webformers-demo-shell-';
export const MODELS_CACHE = 'webformers-demo-models';

export interface OfflineModel {
  name: string;
  bytes: number;
  files: string[];
}

/** The embedded models the service worker has kept, per model folder. */
export async function listOfflineModels(modelsURL: string): Promise<OfflineModel[]> {
  if (!('caches' in globalThis)) return [];
  const cache = await caches.open(MODELS_CACHE);
  const byName = new Map<string, OfflineModel>();
  for (const request of await cache.keys()) {
    if (!request.url.startsWith(modelsURL)) continue;
    const [name, ...rest] = request.url.slice(modelsURL.length).split('/');
    const response = await cache.match(request);
    const length = Number(response?.headers.get('content-length'));
    const bytes = Number.isFinite(length) && length > 0 ? length : ((await response?.blob())?.size ?? 0);
    const entry = byName.get(name) ?? { name, bytes: 0, files: [] };
    entry.bytes += bytes;
    entry.files.push(rest.join('/'));
    byName.set(name, entry);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export async function deleteOfflineModel(modelsURL: string, name: string): Promise<void> {
  const cache = await caches.open(MODELS_CACHE);
  const prefix = `${modelsURL}${name}/`;
  for (const request of await cache.keys()) if (request.url.startsWith(prefix)) await cache.delete(request);
}
