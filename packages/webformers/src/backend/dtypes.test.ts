import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../utils/errors.js';
import { onnxFileName, resolveSessionDTypes } from './dtypes.js';

describe('dtype → file variant', () => {
  it('maps every dtype to the Hub suffix', () => {
    expect(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'].map((d) => onnxFileName('model', d as never))).toEqual([
      'onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_quantized.onnx', 'onnx/model_int8.onnx',
      'onnx/model_uint8.onnx', 'onnx/model_q4.onnx', 'onnx/model_q4f16.onnx', 'onnx/model_bnb4.onnx',
    ]);
    expect(onnxFileName('decoder_model_merged', 'q4')).toBe('onnx/decoder_model_merged_q4.onnx');
  });

  it('defaults to fp32 without a request or a config default', () => {
    expect(resolveSessionDTypes(['model'], undefined, undefined)).toEqual({ model: 'fp32' });
  });

  it('takes the config.json transformers.js_config default, as a string or per session', () => {
    expect(resolveSessionDTypes(['model'], undefined, 'q8')).toEqual({ model: 'q8' });
    expect(resolveSessionDTypes(['encoder_model', 'decoder_model_merged'], undefined, { decoder_model_merged: 'q4' }))
      .toEqual({ encoder_model: 'fp32', decoder_model_merged: 'q4' });
  });

  it('lets the caller override the config, per session when given a map', () => {
    expect(resolveSessionDTypes(['model'], 'fp16', 'q8')).toEqual({ model: 'fp16' });
    expect(resolveSessionDTypes(['encoder_model', 'decoder_model_merged'], { encoder_model: 'q8' }, 'q4'))
      .toEqual({ encoder_model: 'q8', decoder_model_merged: 'q4' });
  });

  it("keeps 'auto' for the variant choice to settle, from the caller or the config", () => {
    expect(resolveSessionDTypes(['encoder_model', 'decoder_model_merged'], { encoder_model: 'auto' }, 'q4'))
      .toEqual({ encoder_model: 'auto', decoder_model_merged: 'q4' });
    expect(resolveSessionDTypes(['model'], undefined, 'auto')).toEqual({ model: 'auto' });
  });

  it('rejects an unknown dtype, naming the valid ones', () => {
    expect(() => resolveSessionDTypes(['model'], 'int4' as never, undefined)).toThrow(InvalidArgumentError);
    expect(() => resolveSessionDTypes(['model'], undefined, 'float32')).toThrow(/transformers.js_config.*Use one of: fp32, fp16.*bnb4, auto\./);
  });
});
