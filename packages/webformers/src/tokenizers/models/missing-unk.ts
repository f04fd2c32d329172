import { TokenizationError } from '../types.js';

/** A model needed its unknown token and the vocabulary lacks it (Rust's `MissingUnkToken` / `MissingUnkId`). */
export function missingUnkError(model: string, field: string, value: string | number | null): TokenizationError {
  return new TokenizationError(`${model} needs its unknown token, but model.${field} (${JSON.stringify(value)}) is not in the vocabulary`, {
    hint: `Fix model.${field} in tokenizer.json so it names a vocabulary entry.`,
  });
}
