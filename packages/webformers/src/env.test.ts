import { afterEach, describe, expect, it, vi } from 'vitest';

async function freshEnv() {
  vi.resetModules();
  return (await import('./env.js')).env;
}

describe('env defaults', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('in Node: Hub host and layout, remote on, local models on under <cwd>/models/, no cache', async () => {
    const env = await freshEnv();
    expect(env.remoteHost).toBe('https://huggingface.co/');
    expect(env.remotePathTemplate).toBe('{model}/resolve/{revision}/');
    expect(env.allowRemoteModels).toBe(true);
    expect(env.allowLocalModels).toBe(true);
    expect(env.localModelPath).toBe(`${process.cwd()}/models/`);
    expect(env.cache).toBeNull();
    expect(env.backends.onnx.wasm).toEqual({});
    expect(env.backends.onnx.webgpu).toEqual({});
  });

  it('in a browser page: local models off, localModelPath /models/ (as transformers.js)', async () => {
    vi.stubGlobal('window', { document: {} });
    vi.stubGlobal('process', undefined);
    const env = await freshEnv();
    expect(env.allowLocalModels).toBe(false);
    expect(env.localModelPath).toBe('/models/');
  });

  it('calls the global fetch at request time, so later stubs of globalThis.fetch apply', async () => {
    const env = await freshEnv();
    const stub = vi.fn(async () => new Response('ok'));
    vi.stubGlobal('fetch', stub);
    expect(await (await env.fetch('https://example.invalid/x')).text()).toBe('ok');
    expect(stub).toHaveBeenCalledWith('https://example.invalid/x', undefined);
  });
});
