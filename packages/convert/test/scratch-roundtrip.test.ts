import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import { decodeModel, encodeModel } from '../src/onnx/codec.js';
test('rt', () => {
  for (const f of ['tiny-random-bart/onnx/decoder_model_merged.onnx']) {
    const bytes = new Uint8Array(readFileSync('packages/webformers/test/fixtures/models/' + f));
    const m = decodeModel(bytes);
    const out = encodeModel(m);
    let i = 0; while (bytes[i] === out[i]) i++;
    console.log(i, Buffer.from(bytes.subarray(i - 40, i + 20)).toString('latin1'), '|||', Buffer.from(out.subarray(i - 40, i + 20)).toString('latin1'));
    console.log(m.opsetImport);
  }
});
