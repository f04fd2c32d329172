/**
 * Instances that are functions: `await model(inputs)`, `await pipe(text)`, as transformers.js
 * and Python allow. The constructor returns a closure whose prototype is the subclass's, so
 * methods and fields work on it and no code is generated at run time (no eval / new Function).
 */
export interface Callable<A extends unknown[], R> {
  (...args: A): R;
}

export abstract class Callable<A extends unknown[], R> {
  constructor() {
    const call = (...args: A): R => (call as unknown as Callable<A, R>)._call(...args);
    return Object.setPrototypeOf(call, new.target.prototype) as Callable<A, R>;
  }

  protected abstract _call(...args: A): R;
}
