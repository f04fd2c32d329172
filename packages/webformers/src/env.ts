/**
 * Global settings, read at call time by every layer (change them before loading a model).
 * Names and defaults follow transformers.js `env` so that configuration code ports as is.
 * This file imports nothing: any layer may read it, and it must load in browsers, workers and Node.
 */

/**
 * A store of downloaded model files that the hub consults before the network and fills after a
 * successful download. The IndexedDB store (cache/ layer) implements it; `null` means no caching.
 */
export interface FileCache {
  /** The bytes stored for this file, or `undefined` when it is not stored. */
  match(key: FileCacheKey): Promise<Uint8Array | undefined>;
  /** Stores the bytes of a file fetched from the remote host. */
  put(key: FileCacheKey, bytes: Uint8Array): Promise<void>;
}

/** Identifies one remote file; `url` already includes host, model, encoded revision and file. */
export interface FileCacheKey {
  model: string;
  revision: string;
  file: string;
  url: string;
}

/** Settings read by the backend layer when it creates onnxruntime-web sessions. */
export interface WasmBackendSettings {
  /**
   * Where onnxruntime-web loads its `.wasm`/`.mjs` files from: a URL prefix, or a map of file
   * name → URL. Unset (default): onnxruntime-web's own default (next to its script).
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * Worker threads for the WebAssembly backend. Unset (default): onnxruntime-web decides
   * (threads only run when the page is cross-origin isolated). 1 disables threading.
   */
  numThreads?: number;
}

export interface WebformersEnv {
  /** Host that remote files are downloaded from. Default `'https://huggingface.co/'`. */
  remoteHost: string;
  /**
   * Path appended to `remoteHost` before the file name; `{model}` and `{revision}` are
   * substituted (the revision URL-encoded). Default `'{model}/resolve/{revision}/'`, the Hub layout.
   */
  remotePathTemplate: string;
  /** Whether files may be downloaded from `remoteHost`. Default `true`. `false` = offline mode. */
  allowRemoteModels: boolean;
  /**
   * Whether `localModelPath` is tried before the remote host. Default: `false` in browsers and
   * workers, `true` in Node (as transformers.js: a web page usually has no `/models/` folder, and
   * probing it would cost a failed request per file).
   */
  allowLocalModels: boolean;
  /**
   * Where local models live: `localModelPath + model + '/' + file`. Browsers: a URL or
   * a path on the page's origin, default `'/models/'`. Node: a filesystem directory, default
   * `<cwd>/models/`; an `http(s):` URL here is fetched instead of read from disk.
   */
  localModelPath: string;
  /**
   * The `fetch` used for every network request. Default: the global `fetch`, looked up at call
   * time. Replace it to add headers (e.g. an `Authorization` token for gated repos) or to mock.
   */
  fetch: typeof fetch;
  /** Store consulted before the network and filled after downloads. Default `null` (none). */
  cache: FileCache | null;
  /** Backend settings; the backend layer reads them when it creates a session. */
  backends: { onnx: { wasm: WasmBackendSettings } };
}

/** True in Node (and runtimes that identify as it): local models come from the filesystem. */
export const isNode = typeof process !== 'undefined' && process.release?.name === 'node';
const isBrowserPage = typeof window !== 'undefined' && typeof window.document !== 'undefined';
const isWorker = typeof self !== 'undefined' && typeof (self as { importScripts?: unknown }).importScripts === 'function';

// transformers.js puts the Node default inside its own package folder; ours would land in
// node_modules, where nobody keeps models, so the working directory is the useful default.
const defaultLocalModelPath = isNode ? `${process.cwd()}/models/` : '/models/';

export const env: WebformersEnv = {
  remoteHost: 'https://huggingface.co/',
  remotePathTemplate: '{model}/resolve/{revision}/',
  allowRemoteModels: true,
  allowLocalModels: !(isBrowserPage || isWorker),
  localModelPath: defaultLocalModelPath,
  fetch: (input, init) => globalThis.fetch(input, init),
  cache: null,
  backends: { onnx: { wasm: {} } },
};
