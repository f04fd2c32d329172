/**
 * What counts as a model id, revision and file name. Ids follow the Hub's repository-id rules
 * (huggingface_hub `validate_repo_id`, also used by transformers.js): `name` or `namespace/name`,
 * each part made of letters, digits, `_`, `-`, `.`, starting and ending with a letter, digit or `_`,
 * the name at most 96 characters, no `--` or `..`, not ending in `.git`.
 *
 * Full URLs and filesystem paths are refused as ids on purpose: the id becomes part of a URL and
 * of a local path, so anything else could point outside `localModelPath` or at another host.
 * Point `env.remoteHost` / `env.localModelPath` at the place instead.
 */
const PART = /^\w(?:[\w.-]*\w)?$/;
const MAX_NAME_LENGTH = 96;

/** Why `model` is not a valid repository id, or `null` when it is. */
export function modelIdProblem(model: string): string | null {
  if (typeof model !== 'string' || model.length === 0) return 'the model id is empty';
  const parts = model.split('/');
  if (parts.length > 2) return 'a model id has at most one "/" (namespace/name)';
  if (!parts.every((part) => PART.test(part))) {
    return 'a model id may only hold letters, digits, "_", "-", "." and one "/", and no part may start or end with "-" or "."';
  }
  if (parts[parts.length - 1].length > MAX_NAME_LENGTH) return `the repository name is longer than ${MAX_NAME_LENGTH} characters`;
  if (model.includes('--') || model.includes('..')) return 'a model id may not contain "--" or ".."';
  if (model.endsWith('.git')) return 'a model id may not end in ".git"';
  return null;
}

/** Why `file` is not a relative path inside a repository, or `null` when it is. */
export function filePathProblem(file: string): string | null {
  if (typeof file !== 'string' || file.length === 0) return 'the file name is empty';
  if (file.includes('\\')) return 'file paths use "/" as separator, not "\\"';
  const segments = file.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return 'a file path must be relative, without empty, "." or ".." segments';
  }
  return null;
}

/** Why `revision` cannot name a branch, tag or commit, or `null` when it can. */
export function revisionProblem(revision: string): string | null {
  if (typeof revision !== 'string' || revision.length === 0) return 'the revision is empty';
  return null;
}
