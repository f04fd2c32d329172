/**
 * tokenizer.json's optional `truncation` and `padding` sections (Rust's serde form: enum names such as
 * "LongestFirst", "Right", `{"Fixed": n}`) read into the camel-case params the pipeline uses.
 */
import { TokenizerConfigError, type Direction, type Json, type PaddingParams, type TruncationParams, type TruncationStrategy } from './types.js';

const STRATEGIES: Record<string, TruncationStrategy> = {
  LongestFirst: 'longest_first',
  OnlyFirst: 'only_first',
  OnlySecond: 'only_second',
};

/** Rust's enum spelling ("Left" / "Right"), as in tokenizer.json and the reference bindings. */
export function readDirection(value: unknown, component: string): Direction {
  if (value === undefined || value === null || value === 'Right') return 'right';
  if (value === 'Left') return 'left';
  throw new TokenizerConfigError(component, `"direction" must be "Left" or "Right", got ${JSON.stringify(value)}`);
}

export function readTruncationStrategy(value: unknown): TruncationStrategy {
  const s = value === undefined ? 'longest_first' : STRATEGIES[String(value)];
  if (!s) throw new TokenizerConfigError('truncation', `unknown strategy ${JSON.stringify(value)}`);
  return s;
}

function nonNegativeInt(json: Json, field: string, component: string, fallback: number): number {
  const v = json[field] ?? fallback;
  if (!Number.isInteger(v) || (v as number) < 0) {
    throw new TokenizerConfigError(component, `"${field}" must be a non-negative integer, got ${JSON.stringify(v)}`);
  }
  return v as number;
}

export function readTruncationConfig(value: unknown): TruncationParams | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') throw new TokenizerConfigError('truncation', 'must be an object or null');
  const json = value as Json;
  return {
    maxLength: nonNegativeInt(json, 'max_length', 'truncation', 512),
    stride: nonNegativeInt(json, 'stride', 'truncation', 0),
    strategy: readTruncationStrategy(json.strategy),
    direction: readDirection(json.direction, 'truncation'),
  };
}

export function readPaddingConfig(value: unknown): PaddingParams | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') throw new TokenizerConfigError('padding', 'must be an object or null');
  const json = value as Json;
  const strategy = json.strategy ?? 'BatchLongest';
  let length: PaddingParams['length'];
  if (strategy === 'BatchLongest') length = 'longest';
  else if (typeof strategy === 'object' && strategy !== null && Number.isInteger((strategy as Json).Fixed)) length = (strategy as Json).Fixed as number;
  else throw new TokenizerConfigError('padding', `unknown strategy ${JSON.stringify(strategy)}`);
  const multiple = json.pad_to_multiple_of;
  return {
    length,
    direction: readDirection(json.direction, 'padding'),
    padToMultipleOf: Number.isInteger(multiple) ? (multiple as number) : undefined,
    padId: nonNegativeInt(json, 'pad_id', 'padding', 0),
    padTypeId: nonNegativeInt(json, 'pad_type_id', 'padding', 0),
    padToken: typeof json.pad_token === 'string' ? json.pad_token : '[PAD]',
  };
}
