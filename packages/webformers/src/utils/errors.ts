/**
 * Every error webformers throws on purpose is a `WebformersError`: it has a stable `code`
 * a program can switch on, the thing that failed, and a `hint` that says what to do next.
 * Subclasses live beside the layer that throws them; this file holds the base and the
 * few that several layers share.
 */
export interface WebformersErrorDetails {
  /** What to do about it, in one sentence. Appended to the message. */
  hint?: string;
  cause?: unknown;
}

export class WebformersError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, details: WebformersErrorDetails = {}) {
    super(details.hint ? `${message} ${details.hint}` : message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = details.hint;
  }
}

/** A caller passed something we cannot use (wrong type, out of range, unknown option value). */
export class InvalidArgumentError extends WebformersError {
  constructor(message: string, details: WebformersErrorDetails = {}) {
    super('invalid_argument', message, details);
  }
}

/** A path that is deliberately not implemented yet: fail loudly instead of doing something else. */
export class NotSupportedError extends WebformersError {
  constructor(message: string, details: WebformersErrorDetails = {}) {
    super('not_supported', message, details);
  }
}
