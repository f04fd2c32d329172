/**
 * Errors across the boundary. Comlink's own handling keeps only `name`, `message` and `stack` of
 * an `Error`, so the host throws a `WireError` record instead (Comlink passes a thrown non-Error
 * through untouched) and the client re-creates the error: the same class where it is one of
 * ours (so `instanceof ModelFileError` and `error.code` work on the main thread), the same
 * built-in class for `TypeError` and the like, `DOMException` for abort errors.
 */
import { DeviceUnavailableError, InputMismatchError, ModelVariantError, SessionError } from '../backend/errors.js';
import { FileIntegrityError, StorageQuotaError } from '../cache/errors.js';
import { ModelFileError } from '../hub/errors.js';
import { ConfigError } from '../models/config.js';
import { ModelHeadError } from '../models/errors.js';
import { InputTooLongError, PipelineInputError, UnknownTaskError } from '../pipelines/errors.js';
import { TokenizationError, TokenizerConfigError } from '../tokenizers/types.js';
import { InvalidArgumentError, NotSupportedError, WebformersError } from '../utils/errors.js';
import { DisposedHandleError, WorkerLostError, WorkerStartError } from './errors.js';
import type { WireError } from './protocol.js';

// Classes from modules that are cheap to load on the main thread; any other WebformersError
// (e.g. ChatTemplateError, whose module pulls in the template engine) comes back as a
// WebformersError carrying the original name, code and hint.
const KNOWN_CLASSES: readonly (abstract new (...args: never[]) => Error)[] = [
  WebformersError, InvalidArgumentError, NotSupportedError, ModelFileError, DeviceUnavailableError, ModelVariantError,
  InputMismatchError, SessionError, ConfigError, ModelHeadError, UnknownTaskError, PipelineInputError, InputTooLongError,
  StorageQuotaError, FileIntegrityError, TokenizationError, TokenizerConfigError, DisposedHandleError, WorkerLostError,
  WorkerStartError,
];
const BUILT_IN: Record<string, new (message: string) => Error> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
};

export function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && (value as { $wf?: unknown }).$wf === 'error';
}

/** A structured-clone-safe record of `error` (any thrown value). */
export function serializeError(error: unknown): WireError {
  if (!(error instanceof Error)) {
    return { $wf: 'error', name: 'Error', message: typeof error === 'string' ? error : safeString(error), fields: {} };
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'cause' && isCloneable(value)) fields[key] = value;
  }
  return {
    $wf: 'error',
    name: error.name,
    message: error.message,
    stack: error.stack,
    fields,
    cause: error.cause === undefined ? undefined : serializeError(error.cause),
  };
}

/** The error `wire` describes, as an instance of the class it was thrown as where we know it. */
export function reviveError(wire: WireError): Error {
  const error = createInstance(wire);
  for (const [key, value] of Object.entries(wire.fields)) define(error, key, value);
  define(error, 'name', wire.name);
  define(error, 'message', wire.message);
  if (wire.stack !== undefined) define(error, 'stack', wire.stack);
  if (wire.cause !== undefined) define(error, 'cause', reviveError(wire.cause));
  return error;
}

function createInstance(wire: WireError): Error {
  if (wire.name === 'AbortError' || wire.name === 'TimeoutError') return new DOMException(wire.message, wire.name);
  const known = KNOWN_CLASSES.find((c) => c.name === wire.name);
  // Our classes' constructors take different detail objects; every field they set is in
  // `wire.fields`, so the instance is made from the prototype and filled in directly.
  if (known) return Object.create(known.prototype) as Error;
  if (typeof wire.fields.code === 'string') return Object.create(WebformersError.prototype) as Error;
  const BuiltIn = Object.hasOwn(BUILT_IN, wire.name) ? BUILT_IN[wire.name] : Error;
  return new BuiltIn(wire.message);
}

function define(target: object, key: string, value: unknown): void {
  // DOMException's name and message are read-only accessors: leave what its constructor set.
  if (target instanceof DOMException && (key === 'name' || key === 'message')) return;
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: key !== 'stack' && key !== 'message' && key !== 'name' && key !== 'cause' });
}

function isCloneable(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean', 'undefined', 'bigint'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isCloneable);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(isCloneable);
  return false;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'a value that could not be converted to text';
  }
}
