import { WebformersError } from '../utils/errors.js';

/**
 * Why a model file could not be loaded:
 * - `not_found`: 404 (or no such local file).
 * - `http`: any other non-2xx status (401/403 gated or private, 5xx server failure, ...).
 * - `network`: the request never got a response (DNS, refused, CORS, offline browser).
 * - `truncated`: the body stopped before content-length bytes (connection cut mid-body).
 * - `malformed`: the bytes are not what the file claims (HTML page, JSON that does not parse).
 * - `offline`: the file is not local or cached, and remote loading is disabled.
 * - `invalid_id`: the model id or file name is not a Hub repository id / relative file path.
 * - `io`: a local file exists but the filesystem refused to read it.
 */
export type ModelFileFailure =
  | 'not_found'
  | 'http'
  | 'network'
  | 'truncated'
  | 'malformed'
  | 'offline'
  | 'invalid_id'
  | 'io';

export interface ModelFileErrorDetails {
  model: string;
  revision: string;
  file: string;
  /** Every URL or filesystem path tried, in order. */
  urls: readonly string[];
  reason: ModelFileFailure;
  /** What went wrong, one clause (e.g. `HTTP 404 Not Found`). */
  detail: string;
  status?: number;
  /** The Hub's `X-Error-Code` header (`RepoNotFound`, `RevisionNotFound`, `EntryNotFound`, `GatedRepo`). */
  hubErrorCode?: string;
  /** Overrides the default hint for the reason. */
  hint?: string;
  cause?: unknown;
}

/** A model file could not be loaded; `reason` says why and the message names everything tried. */
export class ModelFileError extends WebformersError {
  readonly model: string;
  readonly revision: string;
  readonly file: string;
  readonly urls: readonly string[];
  readonly reason: ModelFileFailure;
  readonly status: number | undefined;
  readonly hubErrorCode: string | undefined;

  constructor(details: ModelFileErrorDetails) {
    const tried = details.urls.length > 0 ? ` Tried: ${details.urls.join(', ')}.` : '';
    super(
      'model_file',
      `Could not load "${details.file}" of model "${details.model}" (revision "${details.revision}"): ${details.detail}.${tried}`,
      { hint: details.hint ?? defaultHint(details), cause: details.cause },
    );
    this.model = details.model;
    this.revision = details.revision;
    this.file = details.file;
    this.urls = [...details.urls];
    this.reason = details.reason;
    this.status = details.status;
    this.hubErrorCode = details.hubErrorCode;
  }
}

function defaultHint(details: ModelFileErrorDetails): string {
  switch (details.reason) {
    case 'not_found':
      if (details.hubErrorCode === 'RevisionNotFound') return 'Check the revision: no such branch, tag or commit in this repository.';
      if (details.hubErrorCode === 'RepoNotFound') return 'Check the model id: no such repository on the Hub.';
      return 'Check the model id and revision, and that the repository has this file (ONNX graphs go under onnx/, as in exports made for transformers.js).';
    case 'http':
      return httpHint(details.status, details.hubErrorCode);
    case 'network':
      return 'Check the network connection and env.remoteHost; to work offline, put the files under env.localModelPath and set env.allowRemoteModels = false.';
    case 'truncated':
      return 'The connection was cut before the whole file arrived; retry the download (with a store that keeps partial downloads, such as the default IndexedDB cache, it resumes where it stopped).';
    case 'malformed':
      return 'The server sent something else than this file (often an HTML error or login page): check env.remoteHost / env.localModelPath, or re-download the file.';
    case 'offline':
      return 'Remote loading is off (env.allowRemoteModels = false or local_files_only): allow it to download the file, or place the file under env.localModelPath beforehand.';
    case 'invalid_id':
      return "Use a Hub repository id such as 'org/name' and a relative file path; for a folder on disk, set env.localModelPath to its parent and pass the folder name.";
    case 'io':
      return 'The local file exists but could not be read: check its permissions.';
  }
}

function httpHint(status: number | undefined, hubErrorCode: string | undefined): string {
  // The Hub answers 401 for missing repositories too (so as not to reveal private ones),
  // hence the hint cannot tell "gated" from "misspelled" unless X-Error-Code says which.
  if (hubErrorCode === 'GatedRepo') return 'This repository is gated: accept its conditions on the Hub and send a token (an Authorization header) through env.fetch.';
  if (status === 401 || status === 403) {
    return 'The repository is private or gated, or does not exist: check the model id, and for gated/private repos send a token (an Authorization header) through env.fetch.';
  }
  if (status !== undefined && status >= 500) return 'The server failed; retry later, or check env.remoteHost.';
  return 'Check env.remoteHost and env.remotePathTemplate, and the model id and revision.';
}

export interface LoadAbortedDetails {
  model: string;
  revision: string;
  file: string;
  /** The signal's `reason`. */
  cause?: unknown;
}

/**
 * Loading a file stopped because the `signal` of the load options was aborted. Its `name` is
 * `'AbortError'`, as for an aborted `fetch`, so code that already tells cancellations from
 * failures by name handles it too; `code` is `'aborted'`.
 */
export class LoadAbortedError extends WebformersError {
  readonly model: string;
  readonly revision: string;
  readonly file: string;

  constructor(details: LoadAbortedDetails) {
    super('aborted', `Loading "${details.file}" of model "${details.model}" (revision "${details.revision}") was aborted.`, {
      hint: 'The signal in the load options was aborted. Load again with a signal that is not aborted; a download that was cut short resumes from the part already stored.',
      cause: details.cause,
    });
    this.name = 'AbortError';
    this.model = details.model;
    this.revision = details.revision;
    this.file = details.file;
  }
}
