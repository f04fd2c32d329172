/**
 * Global settings, read at call time by every layer (change them before loading a model).
 * Names and defaults follow transformers.js `env` so that configuration code ports as is.
 * This file imports nothing: any layer may read it, and it must load in browsers, workers and Node.
 */

/**
 * A store of downloaded model files that the hub consults before the network and fills after a
 * successful download. The IndexedDB store of the cache/ layer implements it, including the
 * optional streaming methods; `null` means no caching.
 *
 * A store that implements `partialDownload` and `begin` receives remote files as they stream in,
 * so an interrupted download keeps its completed part and the next attempt resumes with an HTTP
 * Range request. A store with only `match` and `put` receives each file once it is complete.
 */
export interface FileCache {
  /** The bytes stored for this file, or `undefined` when it is not stored (or no longer intact). */
  match(key: FileCacheKey): Promise<Uint8Array | undefined>;
  /**
   * Stores the bytes of a file fetched from the remote host. `expected` carries what the server
   * said about the file (size, SHA-256); a store that checks it rejects bytes that differ.
   */
  put(key: FileCacheKey, bytes: Uint8Array, expected?: FileExpectations): Promise<void>;
  /** What is kept of an interrupted download of this file, or `undefined` when nothing is. */
  partialDownload?(key: FileCacheKey): Promise<PartialDownloadInfo | undefined>;
  /**
   * Starts streaming a file into the store, afresh (`offset` 0) or after the kept part of an
   * interrupted download (`offset` = its `bytes`).
   */
  begin?(key: FileCacheKey, options?: BeginWriteOptions): Promise<FileWriter>;
}

/** Identifies one remote file; `url` already includes host, model, encoded revision and file. */
export interface FileCacheKey {
  model: string;
  revision: string;
  file: string;
  url: string;
}

/** What a store should check before a file counts as stored. */
export interface FileExpectations {
  /** Exact size in bytes; a different size at commit is an integrity error. */
  size?: number;
  /**
   * Hex SHA-256 of the whole file, 64 digits without quotes (the Hub sends it, quoted, as
   * `x-linked-etag` for LFS files); a different digest at commit is an integrity error.
   */
  sha256?: string;
  /**
   * The server's validator for this version of the file (`etag`), kept with a partial download
   * so a resumed request can send `If-Range` and a resume never mixes two versions.
   */
  etag?: string;
}

/** The kept part of an interrupted download, and what the server said about the file then. */
export interface PartialDownloadInfo extends FileExpectations {
  /** Bytes kept from the start of the file: the offset a resumed request starts at. */
  bytes: number;
}

export interface BeginWriteOptions extends FileExpectations {
  /**
   * Byte offset the new bytes start at. `0` (default) starts the file afresh, dropping any
   * partial download. A non-zero offset must equal the kept part's `bytes` for the same file
   * and expectations: the bytes already stored are kept and the new ones appended.
   */
  offset?: number;
}

/** Streams one file into a store. Nothing is loadable until `commit` resolves. */
export interface FileWriter {
  /** Bytes of the file stored or buffered so far, including a resumed prefix. */
  readonly bytesWritten: number;
  /** Appends bytes. */
  write(bytes: Uint8Array): Promise<void>;
  /** Checks size and SHA-256 against the expectations, then makes the file loadable. Resolves to the whole file. */
  commit(): Promise<Uint8Array>;
  /** Abandons the file and removes what was written (no resume). */
  discard(): Promise<void>;
  /** Stops writing but keeps what can be resumed from (e.g. after a network error). */
  suspend(): void;
}

/**
 * Settings read by the backend layer when it creates its first onnxruntime-web session (ORT reads
 * them once per page or worker, so set them before loading a model).
 */
export interface WasmBackendSettings {
  /**
   * Where onnxruntime-web loads its `.mjs`/`.wasm` files from: a URL prefix, or a map
   * `{ mjs, wasm }` of URLs. Never a CDN unless you set one.
   *
   * Unset (default): next to onnxruntime-web's own modules, wherever the page got them from. wasm
   * sessions run on `onnxruntime-web/wasm` (`ort-wasm-simd-threaded.wasm`, 14 MB), WebGPU ones on
   * `onnxruntime-web/webgpu` (`ort-wasm-simd-threaded.asyncify.wasm`, 27 MB; see
   * `WebGpuBackendSettings`); each is fetched the first time a session needs it. Vite dev serves `node_modules/onnxruntime-web/dist/`; `vite build` (and
   * other bundlers that handle `new URL(file, import.meta.url)`) emits the `.wasm` files beside the
   * bundle; a page without a bundler maps `onnxruntime-web` to `dist/ort.bundle.min.mjs`,
   * `onnxruntime-web/wasm` to `dist/ort.wasm.bundle.min.mjs` and `onnxruntime-web/webgpu` to
   * `dist/ort.webgpu.bundle.min.mjs` (import map) and gets the `.wasm`
   * files from that folder. Offline apps precache the `.wasm` of every device they use.
   *
   * Set it when a bundler inlines onnxruntime-web and the page is cross-origin isolated: wasm
   * threads start workers from the module that holds ORT's loader, and without this that is the
   * app's own bundle. A prefix serves both builds. A map names one build's files, so with a map
   * every session runs on the default entry. With Vite:
   * `import mjs from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url'`,
   * `import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url'`, then
   * `env.backends.onnx.wasm.wasmPaths = { mjs, wasm }`.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * Worker threads for the WebAssembly backend. Threads need a cross-origin isolated page
   * (COOP `same-origin` + COEP `require-corp`); without isolation the backend always uses 1.
   * Unset (default): onnxruntime-web's choice (about half the cores, at most 4). 1 disables threading.
   */
  numThreads?: number;
}

/** Settings for WebGPU sessions, read when each one is created. */
export interface WebGpuBackendSettings {
  /**
   * Which of onnxruntime-web's two WebGPU providers runs a session:
   * - `'native'`: the provider written in C++ and compiled with the runtime (`onnxruntime-web/webgpu`,
   *   `ort-wasm-simd-threaded.asyncify.wasm`, 27 MB): the one onnxruntime develops (JSEP is
   *   deprecated there) and transformers.js runs.
   * - `'jsep'`: the older provider with kernels in TypeScript (the default entry `onnxruntime-web`,
   *   `ort-wasm-simd-threaded.jsep.wasm`, 28 MB).
   * - `'auto'` (default): native, except 4-bit weight variants (`q4`, `q4f16`) on JSEP. Measured on
   *   an H100 (Chromium 156, 1.31.0-dev): a 124 M decoder decoded 40 tokens/s on native against
   *   14 on JSEP in fp32, but 4.7 against 6.8 in q4; and the native GatherBlockQuantized refuses
   *   4-bit zero points packed two to a byte (the form the CPU kernel requires and
   *   `@webformers/convert` writes for embedding tables), which JSEP reads.
   * With a `wasmPaths` map (which names one build's files) every session runs on the default entry,
   * so WebGPU runs on JSEP whatever this says.
   */
  implementation?: 'auto' | 'native' | 'jsep';
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
  /**
   * Store consulted before the network and filled after downloads; `null` = no caching.
   * Default: in browsers and workers, the IndexedDB store `cache` (like transformers.js, whose
   * browser cache is on by default), plugged in when the webformers entry module loads; in
   * Node `null` (set `env.cache = cache` for an in-memory store that lives as long as the process).
   */
  cache: FileCache | null;
  /** Backend settings; the backend layer reads them when it creates a session. */
  backends: { onnx: { wasm: WasmBackendSettings; webgpu: WebGpuBackendSettings } };
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
  backends: { onnx: { wasm: {}, webgpu: {} } },
};
