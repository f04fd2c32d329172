/**
 * What the page says when something fails: a title a person understands, what happened, and
 * what to do. Errors from the worker arrive re-created with their `code` (and for file errors
 * their `reason`), which is all this needs to read.
 */
export type ErrorKind = 'no-webgpu' | 'not-found' | 'quota' | 'offline' | 'network' | 'unsupported-task' | 'no-chat' | 'worker' | 'input' | 'other';

export interface FriendlyError {
  kind: ErrorKind;
  title: string;
  message: string;
  hint: string;
  /** The library's own message, shown folded for those who want it. */
  detail: string;
}

interface ErrorFields {
  code?: string;
  reason?: string;
  status?: number;
  hint?: string;
  message?: string;
  model?: string;
  file?: string;
}

export function explainError(error: unknown, online: boolean = navigator.onLine): FriendlyError {
  const fields: ErrorFields = typeof error === 'object' && error !== null ? (error as ErrorFields) : { message: String(error) };
  // A WebformersError's message already ends with its hint.
  const detail = fields.message ?? '';
  const make = (kind: ErrorKind, title: string, message: string, hint: string): FriendlyError => ({ kind, title, message, hint, detail });
  const model = fields.model ? `“${fields.model}”` : 'this model';

  switch (fields.code) {
    case 'device_unavailable':
      return /shader-f16/.test(fields.message ?? '')
        ? make('no-webgpu', 'This GPU cannot run half precision', 'The WebGPU adapter here lacks the shader-f16 feature that fp16 and q4f16 weights need.', 'Pick fp32 or q8, or run on WebAssembly.')
        : make('no-webgpu', 'WebGPU is not available', 'This browser gave no WebGPU adapter, so the model cannot run on the GPU.', 'Pick “auto” or “WebAssembly” as the device; both work everywhere.');
    case 'storage_quota':
      return make('quota', 'Not enough storage for this model', 'The browser refused to store more files for this site.', 'Delete stored models in the Storage panel, or ask for persistent storage there, then load again.');
    case 'unknown_task':
      return make('unsupported-task', 'This task is not in this build of webformers', fields.message ?? 'The pipeline task is unknown.', 'Update webformers; the other views work meanwhile.');
    case 'chat_template':
      return make('no-chat', 'This model cannot chat', `${model} has no chat template, so a conversation cannot be turned into its input.`, 'Switch the mode to “Continue a text”, or pick a chat model (Qwen2.5 Instruct, SmolLM2 Instruct).');
    case 'worker_lost':
    case 'worker_start':
      return make('worker', 'The model worker stopped', 'The background worker that runs the models ended, often because it ran out of memory.', 'Load a smaller model or a lighter dtype (q8, q4), then try again.');
    case 'invalid_pipeline_input':
    case 'input_too_long':
      return make('input', 'The input was not accepted', fields.message ?? '', fields.hint ?? 'Change the input and run again.');
    case 'model_file':
      return explainFileError(fields, model, online, make);
  }
  return make('other', 'Something went wrong', fields.message ?? String(error), fields.hint ?? 'Try again, or pick another model.');
}

function explainFileError(
  fields: ErrorFields,
  model: string,
  online: boolean,
  make: (kind: ErrorKind, title: string, message: string, hint: string) => FriendlyError,
): FriendlyError {
  const file = fields.file ? `“${fields.file}”` : 'a file';
  if (!online || fields.reason === 'offline') {
    return make('offline', 'You are offline and this model is not stored', `${model} has not been downloaded on this device yet, so it cannot load without a network.`, 'Reconnect once to download it (it is stored for next time), or use an embedded model or one listed in the Storage panel.');
  }
  if (fields.reason === 'not_found' || fields.status === 401) {
    return fields.file?.startsWith('onnx/')
      ? make('not-found', 'This weight variant was not found', `${model} has no ${file}: the repository has no ONNX export with this dtype.`, 'Pick another dtype: many repositories ship only fp32 and q8 (“auto” picks one that usually exists).')
      : make('not-found', 'Model not found', `${model} has no ${file}: the repository does not exist, is private, or was not exported for transformers.js.`, 'Check the id (e.g. Xenova/distilgpt2): models need ONNX weights under onnx/.');
  }
  if (fields.reason === 'network') {
    return make('network', 'Could not reach the model host', `The request for ${file} of ${model} got no answer.`, 'Check the connection (and the model host in the Storage panel), then load again.');
  }
  return make('other', 'The model files could not be loaded', fields.message ?? '', fields.hint ?? 'Try again later.');
}
