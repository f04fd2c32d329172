/**
 * Typed readers for tokenizer.json fields. Each throws `TokenizerConfigError` naming the exact
 * component path (e.g. 'model.vocab'), so a malformed file fails at load time with a precise message.
 * Absent and `null` fields both take the default, as serde's `Option` / `#[serde(default)]` do.
 */
import { TokenizerConfigError, type Json } from '../types.js';

const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

function fail(component: string, expected: string, value: unknown): never {
  throw new TokenizerConfigError(component, `expected ${expected}, got ${describe(value)}`);
}

export function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readObject(value: unknown, component: string): Json {
  return isJsonObject(value) ? value : fail(component, 'an object', value);
}

export function readString(json: Json, key: string, component: string, fallback?: string): string {
  const value = json[key];
  if (typeof value === 'string') return value;
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  return fail(`${component}.${key}`, 'a string', value);
}

export function readOptionalString(json: Json, key: string, component: string): string | null {
  const value = json[key];
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : fail(`${component}.${key}`, 'a string or null', value);
}

export function readBoolean(json: Json, key: string, component: string, fallback: boolean): boolean {
  const value = json[key];
  if (value === undefined || value === null) return fallback;
  return typeof value === 'boolean' ? value : fail(`${component}.${key}`, 'a boolean', value);
}

/** A non-negative integer (Rust `usize` / `u32`). */
export function readCount(json: Json, key: string, component: string, fallback?: number): number {
  const value = json[key];
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? value
    : fail(`${component}.${key}`, 'a non-negative integer', value);
}

export function readOptionalCount(json: Json, key: string, component: string): number | null {
  const value = json[key];
  return value === undefined || value === null ? null : readCount(json, key, component);
}

/** A Rust `char` field: exactly one Unicode code point. */
export function readChar(json: Json, key: string, component: string, fallback: string): string {
  const value = readString(json, key, component, fallback);
  return [...value].length === 1 ? value : fail(`${component}.${key}`, 'a single character', value);
}

/** `{ "token": id, ... }` as a Map; ids must be non-negative integers. */
export function readVocabMap(json: Json, key: string, component: string): Map<string, number> {
  const where = `${component}.${key}`;
  const raw = readObject(json[key], where);
  const vocab = new Map<string, number>();
  for (const token in raw) {
    const id = raw[token];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) fail(`${where}[${JSON.stringify(token)}]`, 'a non-negative integer id', id);
    vocab.set(token, id);
  }
  return vocab;
}

/** id → token, the reverse of a vocab map. Ids may be sparse. */
export function invertVocab(vocab: Map<string, number>): string[] {
  const tokens: string[] = [];
  for (const [token, id] of vocab) tokens[id] = token;
  return tokens;
}
