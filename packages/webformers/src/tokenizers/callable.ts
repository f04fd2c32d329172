/**
 * A base class whose instances can be called like functions (`tokenizer(text)`), as in transformers.js
 * and Python's `__call__`, without eval: the constructor returns a real function object whose prototype
 * is the subclass's prototype, and the call forwards to `_call`.
 * Subclasses must not declare fields named `name` or `length` (read-only on functions).
 */
export abstract class Callable<Args extends unknown[], Result> {
  constructor() {
    const call = (...args: Args): Result => (fn as unknown as Callable<Args, Result>)._call(...args);
    const fn = Object.setPrototypeOf(call, new.target.prototype) as unknown;
    return fn as Callable<Args, Result>;
  }

  protected abstract _call(...args: Args): Result;
}
