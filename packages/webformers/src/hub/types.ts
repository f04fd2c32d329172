/**
 * The hub layer's public types: options every file-loading call accepts, and the progress
 * events it reports. Shapes match transformers.js so that progress UIs written for it work here.
 */
export type { BeginWriteOptions, FileCache, FileCacheKey, FileExpectations, FileWriter, PartialDownloadInfo } from '../env.js';

/** Options accepted by every call that loads model files (`from_pretrained`, `pipeline`, ...). */
export interface HubFileOptions {
  /**
   * Branch, tag or commit of the remote repository. Default `'main'`. Ignored for local models
   * (a local folder has one version), as in transformers.js.
   */
  revision?: string;
  /**
   * Never use the network for remote files: only the cache and local models. Default `false`.
   * A file found in neither fails with reason `'offline'` (or gives `null` when not fatal).
   */
  local_files_only?: boolean;
  /** Called with every progress event, in order, for each file. */
  progress_callback?: ProgressCallback;
  /**
   * Aborts the load: it rejects at once with `LoadAbortedError` (name `'AbortError'`, code
   * `'aborted'`) naming the file. A download stops once every load waiting for it has aborted; its
   * whole chunks stay in the store, and the next load resumes from them.
   */
  signal?: AbortSignal;
}

/** Options of `getModelFile` / `getModelJSON`. */
export interface GetModelFileOptions extends HubFileOptions {
  /**
   * `true` (default): a missing file throws. `false`: a missing file resolves to `null`
   * (for optional files such as `generation_config.json`); other failures still throw.
   */
  fatal?: boolean;
}

/** First event for a file: loading has started (`name` is the model id). */
export interface ProgressInitiate {
  status: 'initiate';
  name: string;
  file: string;
}

/** The file was found (cache, local or remote) and its bytes start to arrive. */
export interface ProgressDownload {
  status: 'download';
  name: string;
  file: string;
}

/**
 * Bytes received so far. `total` comes from content-length; when the server does not give
 * the decoded size, `total` grows with `loaded`. `progress` is `loaded / total` in percent.
 */
export interface ProgressUpdate {
  status: 'progress';
  name: string;
  file: string;
  progress: number;
  loaded: number;
  total: number;
}

/** All bytes of the file arrived and were checked. */
export interface ProgressDone {
  status: 'done';
  name: string;
  file: string;
}

/** A pipeline finished loading every file and is ready to run (emitted by the pipelines layer). */
export interface ProgressReady {
  status: 'ready';
  task: string;
  model: string;
}

/**
 * The device and weight variants a model loads with, sent before its graphs download (emitted by
 * the models layer; `name` is the model id). `dtype` is per session; `adapter` only on WebGPU.
 */
export interface ProgressChoice {
  status: 'choice';
  name: string;
  device: 'wasm' | 'webgpu';
  dtype: Record<string, string>;
  reason: string;
  adapter?: { vendor: string; architecture: string; description: string; features: string[] };
}

export type ProgressInfo = ProgressInitiate | ProgressDownload | ProgressUpdate | ProgressDone | ProgressReady | ProgressChoice;

export type ProgressCallback = (info: ProgressInfo) => void;
