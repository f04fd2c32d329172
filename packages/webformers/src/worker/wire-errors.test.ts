import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../hub/errors.js';
import { UnknownTaskError } from '../pipelines/errors.js';
import { InvalidArgumentError, WebformersError } from '../utils/errors.js';
import { reviveError, serializeError } from './wire-errors.js';

/** What the main thread gets: the record after a structured clone, re-created. */
const roundTrip = (error: unknown) => reviveError(structuredClone(serializeError(error)));

describe('errors across the wire', () => {
  it('re-creates our error classes with code, hint and their own fields', () => {
    const original = new ModelFileError({ model: 'org/m', revision: 'main', file: 'config.json', urls: ['https://h/org/m/resolve/main/config.json'], reason: 'not_found', detail: 'HTTP 404', status: 404 });
    const back = roundTrip(original) as ModelFileError;
    expect(back).toBeInstanceOf(ModelFileError);
    expect(back).toBeInstanceOf(WebformersError);
    expect(back.name).toBe('ModelFileError');
    expect(back.code).toBe(original.code);
    expect(back.hint).toBe(original.hint);
    expect(back.message).toBe(original.message);
    expect(back.reason).toBe('not_found');
    expect(back.status).toBe(404);
    expect(back.urls).toEqual(original.urls);
    expect(back.stack).toBe(original.stack);
  });

  it('keeps the cause chain', () => {
    const original = new InvalidArgumentError('outer', { hint: 'do x', cause: new UnknownTaskError('nope', ['ner']) });
    const back = roundTrip(original);
    expect(back).toBeInstanceOf(InvalidArgumentError);
    expect(back.cause).toBeInstanceOf(UnknownTaskError);
    expect((back.cause as UnknownTaskError).code).toBe(new UnknownTaskError('nope', ['ner']).code);
  });

  it('gives an unknown WebformersError subclass back as a WebformersError with its name and code', () => {
    class ElsewhereError extends WebformersError {
      constructor() { super('elsewhere', 'from a module the client does not load', { hint: 'h' }); }
    }
    const back = roundTrip(new ElsewhereError()) as WebformersError;
    expect(back).toBeInstanceOf(WebformersError);
    expect(back.name).toBe('ElsewhereError');
    expect(back.code).toBe('elsewhere');
    expect(back.hint).toBe('h');
  });

  it('re-creates built-in errors, abort errors and thrown non-errors', () => {
    const type = roundTrip(new TypeError('bad type'));
    expect(type).toBeInstanceOf(TypeError);
    expect(type.message).toBe('bad type');
    const abort = roundTrip(new DOMException('stopped', 'AbortError'));
    expect(abort).toBeInstanceOf(DOMException);
    expect(abort.name).toBe('AbortError');
    expect(abort.message).toBe('stopped');
    const thrown = roundTrip('plain string');
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown.message).toBe('plain string');
  });

  it('leaves out fields that cannot be cloned', () => {
    const error = Object.assign(new Error('with a function'), { retry: () => 1, attempts: 2 });
    const wire = serializeError(error);
    expect(wire.fields).toEqual({ attempts: 2 });
    expect(() => structuredClone(wire)).not.toThrow();
  });
});
