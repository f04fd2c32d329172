/**
 * The weight variant a stored file belongs to, read from its name the way transformers.js names
 * variants: `model.onnx` is fp32, `model_fp16.onnx` fp16, `model_quantized.onnx` q8, and so on.
 * External-data files (`model_fp16.onnx_data`, `model_fp16.onnx_data_1`) belong to their graph's
 * variant. The backend layer owns choosing a file for a dtype; this reading serves listing and
 * deleting, and the cache layer sits below the backend so it cannot import it.
 */
const VARIANT_SUFFIXES: Readonly<Record<string, string>> = {
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  q4: '_q4',
  q2: '_q2',
  q1: '_q1',
  q4f16: '_q4f16',
  q2f16: '_q2f16',
  q1f16: '_q1f16',
  bnb4: '_bnb4',
};

const ONNX_FILE = /^(.*)\.onnx(?:_data(?:_\d+)?)?$/;

/** `'onnx/decoder_model_merged_q4.onnx'` → `'q4'`; `undefined` for files that are not ONNX graphs or their data. */
export function dtypeOfFile(path: string): string | undefined {
  const stem = ONNX_FILE.exec(path.slice(path.lastIndexOf('/') + 1))?.[1];
  if (stem === undefined) return undefined;
  // No suffix in the table ends another one, so at most one matches.
  return Object.keys(VARIANT_SUFFIXES).find((dtype) => stem.endsWith(VARIANT_SUFFIXES[dtype])) ?? 'fp32';
}
