import { ModelFileError } from './errors.js';
import { loadModelFile } from './get-model-file.js';
import type { GetModelFileOptions } from './types.js';

/**
 * Loads and parses a JSON file of a model (`config.json`, `tokenizer.json`, ...).
 * The parsed value is not validated against `T`; the caller's layer checks the fields it needs.
 * @returns the parsed value, or `null` when the file is missing and `fatal` is false
 *   (transformers.js returns `{}` there; `null` lets callers tell "absent" from "empty").
 * @throws ModelFileError; reason `malformed` when the bytes are not UTF-8 JSON.
 */
export async function getModelJSON<T>(model: string, file: string, options: GetModelFileOptions = {}): Promise<T | null> {
  const loaded = await loadModelFile(model, file, options);
  if (loaded === null) return null;
  const { bytes, attempt } = loaded;
  const malformed = (detail: string, cause: unknown) => new ModelFileError({ ...attempt, reason: 'malformed', detail, cause });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw malformed('the file is not valid UTF-8 text', cause);
  }
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw malformed(`the file is not valid JSON (${(cause as Error).message})`, cause);
  }
}
