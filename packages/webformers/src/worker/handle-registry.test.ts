import { describe, expect, it } from 'vitest';
import { DisposedHandleError } from './errors.js';
import { HandleRegistry } from './handle-registry.js';

describe('HandleRegistry', () => {
  it('names each object by a handle that is never reused', () => {
    const registry = new HandleRegistry<string>();
    const a = registry.add('a');
    expect(registry.take(a)).toBe('a');
    const b = registry.add('b');
    expect(b).not.toBe(a);
    expect(registry.get(b, 'pipeline')).toBe('b');
    expect(registry.size).toBe(1);
  });

  it('throws DisposedHandleError naming the kind for a handle that names nothing', () => {
    const registry = new HandleRegistry<string>();
    const handle = registry.add('x');
    registry.take(handle);
    expect(() => registry.get(handle, 'model')).toThrow(DisposedHandleError);
    expect(() => registry.get(handle, 'model')).toThrow(/This model was disposed/);
    expect(registry.take(handle)).toBeUndefined();
  });
});
