/**
 * Whether a model file exists, without downloading it: used to list the weight variants a
 * repository has when the requested one is missing, and to find the variant `dtype: 'auto'`
 * takes (a Hub repository has no cheap listing, and fetching every variant could cost
 * gigabytes). Looks where `getModelFile` would — the cache, the local folder, the remote host —
 * and never throws: a failed probe counts as absent.
 */
import { env, type FileCacheKey } from '../env.js';
import { resolveModelFile, type HubFileOptions } from '../hub/index.js';
import { MODEL_DTYPES, onnxFileName } from './dtypes.js';
import type { ModelDType } from './types.js';

export type ProbeOptions = Pick<HubFileOptions, 'revision' | 'local_files_only'>;

type NodeFs = typeof import('node:fs/promises');
// Computed so that bundlers leave node:fs out of browser builds; only reached in Node.
const FS_MODULE = 'node:fs/promises';

export async function modelFileExists(model: string, file: string, options: ProbeOptions = {}): Promise<boolean> {
  try {
    const target = resolveModelFile(model, file, { revision: options.revision });
    const key: FileCacheKey = { model: target.model, revision: target.revision, file: target.file, url: target.remoteUrl };
    if (env.cache && (await env.cache.match(key).catch(() => undefined))) return true;
    if (env.allowLocalModels) {
      const local = target.localFromDisk ? await existsOnDisk(target.localLocation) : await answersHead(target.localLocation);
      if (local) return true;
    }
    return env.allowRemoteModels && !options.local_files_only && (await answersHead(target.remoteUrl));
  } catch {
    return false;
  }
}

/** The variants of a session's graph the repository has, in `MODEL_DTYPES` order (probed in parallel). */
export async function listModelVariants(model: string, sessionName: string, options: ProbeOptions = {}, except: readonly ModelDType[] = []): Promise<ModelDType[]> {
  const candidates = MODEL_DTYPES.filter((d) => !except.includes(d));
  const exists = await Promise.all(candidates.map((d) => modelFileExists(model, onnxFileName(sessionName, d), options)));
  return candidates.filter((_, i) => exists[i]);
}

async function existsOnDisk(path: string): Promise<boolean> {
  const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ FS_MODULE)) as NodeFs;
  return fs.stat(path).then((s) => s.isFile(), () => false);
}

async function answersHead(url: string): Promise<boolean> {
  const response = await env.fetch(url, { method: 'HEAD' }).catch(() => null);
  return response?.ok === true && !(response.headers.get('content-type') ?? '').includes('text/html');
}
