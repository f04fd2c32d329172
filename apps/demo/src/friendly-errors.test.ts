import { describe, expect, it } from 'vitest';
import { DeviceUnavailableError, ModelFileError, WebformersError } from 'webformers';
import { explainError } from './friendly-errors.js';

const fileError = (reason: ConstructorParameters<typeof ModelFileError>[0]['reason'], status?: number) =>
  new ModelFileError({ model: 'org/name', revision: 'main', file: 'onnx/model.onnx', urls: ['https://huggingface.co/org/name/resolve/main/onnx/model.onnx'], reason, detail: 'test', status });

describe('explainError', () => {
  it('names each failure the page must explain', () => {
    expect(explainError(new DeviceUnavailableError('webgpu', 'no adapter', 'use wasm'), true).kind).toBe('no-webgpu');
    expect(explainError(fileError('not_found', 404), true).kind).toBe('not-found');
    expect(explainError(fileError('http', 401), true).kind).toBe('not-found');
    expect(explainError(new WebformersError('storage_quota', 'full', { hint: 'delete' }), true).kind).toBe('quota');
    expect(explainError(fileError('offline'), true).kind).toBe('offline');
  });

  it('any file failure while the browser is offline is the offline message', () => {
    expect(explainError(fileError('network'), false).kind).toBe('offline');
    expect(explainError(fileError('network'), true).kind).toBe('network');
  });

  it('tells fp16 without shader-f16 apart from no WebGPU at all', () => {
    const f16 = explainError(new DeviceUnavailableError('webgpu', "dtype 'fp16' needs the WebGPU feature 'shader-f16'", 'use fp32'), true);
    expect(f16.title).toMatch(/half precision/);
  });

  it('a missing ONNX file is a missing weight variant, a missing config a missing model', () => {
    expect(explainError(fileError('not_found', 404), true).title).toMatch(/weight variant/);
    const config = new ModelFileError({ model: 'org/name', revision: 'main', file: 'config.json', urls: [], reason: 'not_found', detail: 'test', status: 404 });
    expect(explainError(config, true).title).toBe('Model not found');
  });

  it('keeps the library message and hint as the detail, and copes with non-errors', () => {
    const explained = explainError(fileError('not_found', 404), true);
    expect(explained.detail).toContain('onnx/model.onnx');
    expect(explainError('boom', true)).toMatchObject({ kind: 'other', message: 'boom' });
  });
});
