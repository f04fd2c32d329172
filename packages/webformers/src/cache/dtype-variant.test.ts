import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dtypeOfFile } from './dtype-variant.js';

// The reference: transformers.js's own dtype → file-suffix table (npm @huggingface/transformers, installed as the peer).
const referencePath = fileURLToPath(new URL('../../../../node_modules/@huggingface/transformers/src/utils/dtypes.js', import.meta.url));

async function referenceSuffixes(): Promise<Record<string, string>> {
  const module = (await import(pathToFileURL(referencePath).href)) as { DEFAULT_DTYPE_SUFFIX_MAPPING: Record<string, string> };
  return module.DEFAULT_DTYPE_SUFFIX_MAPPING;
}

describe('dtypeOfFile', () => {
  it('reads every variant transformers.js names, for graphs and their external data', async () => {
    const suffixes = await referenceSuffixes();
    expect(Object.keys(suffixes).length).toBeGreaterThan(5);
    for (const [dtype, suffix] of Object.entries(suffixes)) {
      for (const stem of ['onnx/model', 'onnx/decoder_model_merged', 'encoder_model']) {
        expect(dtypeOfFile(`${stem}${suffix}.onnx`), `${stem}${suffix}.onnx`).toBe(dtype);
        expect(dtypeOfFile(`${stem}${suffix}.onnx_data`)).toBe(dtype);
        expect(dtypeOfFile(`${stem}${suffix}.onnx_data_2`)).toBe(dtype);
      }
    }
  });

  it('gives no variant for files that are not ONNX graphs', () => {
    for (const path of ['config.json', 'tokenizer.json', 'onnx/model.onnx.json', 'model_fp16.safetensors']) {
      expect(dtypeOfFile(path)).toBeUndefined();
    }
  });
});
