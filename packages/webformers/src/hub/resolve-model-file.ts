import { env, isNode } from '../env.js';
import { ModelFileError } from './errors.js';
import { filePathProblem, modelIdProblem, revisionProblem } from './model-id.js';

export const DEFAULT_REVISION = 'main';

/** Where one file of one model can come from. */
export interface ResolvedModelFile {
  model: string;
  revision: string;
  file: string;
  /** `remoteHost` + `remotePathTemplate` (model, URL-encoded revision) + file. */
  remoteUrl: string;
  /** `localModelPath` + model + '/' + file: a filesystem path when `localFromDisk`, else a URL. */
  localLocation: string;
  localFromDisk: boolean;
}

/**
 * Builds the remote URL and local location of `file` in `model`, after checking that the id,
 * revision and file name cannot escape the configured places. Reads `env` at call time.
 * @throws ModelFileError with reason `invalid_id`.
 */
export function resolveModelFile(model: string, file: string, options: { revision?: string } = {}): ResolvedModelFile {
  const revision = options.revision ?? DEFAULT_REVISION;
  const problem = modelIdProblem(model) ?? filePathProblem(file) ?? revisionProblem(revision);
  if (problem !== null) {
    throw new ModelFileError({ model: String(model), revision: String(revision), file: String(file), urls: [], reason: 'invalid_id', detail: problem });
  }
  // The Hub expects the revision as one path segment, so "refs/pr/1" travels as "refs%2Fpr%2F1".
  const repoPath = env.remotePathTemplate.replaceAll('{model}', model).replaceAll('{revision}', encodeURIComponent(revision));
  const encodedFile = file.split('/').map(encodeURIComponent).join('/');
  const localFromDisk = isNode && !/^(https?|blob):/i.test(env.localModelPath);
  return {
    model,
    revision,
    file,
    remoteUrl: joinPath(env.remoteHost, repoPath, encodedFile),
    localLocation: joinPath(env.localModelPath, model, localFromDisk ? file : encodedFile),
    localFromDisk,
  };
}

/** Joins with exactly one "/" between parts, whatever slashes the settings end or start with. */
function joinPath(...parts: string[]): string {
  return parts
    .map((part, i) => {
      const withoutLeading = i > 0 ? part.replace(/^[/\\]+/, '') : part;
      return i < parts.length - 1 ? withoutLeading.replace(/[/\\]+$/, '') : withoutLeading;
    })
    .join('/');
}
