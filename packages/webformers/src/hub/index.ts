export type {
  BeginWriteOptions,
  FileCache,
  FileCacheKey,
  FileExpectations,
  FileWriter,
  GetModelFileOptions,
  HubFileOptions,
  PartialDownloadInfo,
  ProgressCallback,
  ProgressChoice,
  ProgressDone,
  ProgressDownload,
  ProgressInfo,
  ProgressInitiate,
  ProgressReady,
  ProgressUpdate,
} from './types.js';
export { LoadAbortedError, ModelFileError } from './errors.js';
export type { LoadAbortedDetails, ModelFileErrorDetails, ModelFileFailure } from './errors.js';
export { resolveModelFile, DEFAULT_REVISION } from './resolve-model-file.js';
export type { ResolvedModelFile } from './resolve-model-file.js';
export { fetchWithProgress } from './fetch-with-progress.js';
export type { ByteProgress, FetchWithProgressOptions, FileAttempt } from './fetch-with-progress.js';
export { getModelFile, loadModelFile } from './get-model-file.js';
export { downloadSettled } from './shared-downloads.js';
export type { LoadedModelFile } from './get-model-file.js';
export { getModelJSON } from './get-model-json.js';
