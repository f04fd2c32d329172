/**
 * dtype → ONNX file name, as the Hub's transformers.js repositories lay them out
 * (`onnx/model.onnx`, `onnx/model_quantized.onnx`, ...), and which dtype each session gets.
 */
import { InvalidArgumentError } from '../utils/errors.js';
import type { DTypeOption, DTypeRequest, ModelDType } from './types.js';

export const DTYPE_SUFFIX: Readonly<Record<ModelDType, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

export const MODEL_DTYPES = Object.keys(DTYPE_SUFFIX) as ModelDType[];

export function isModelDType(value: unknown): value is ModelDType {
  return typeof value === 'string' && Object.hasOwn(DTYPE_SUFFIX, value);
}

function isDTypeRequest(value: unknown): value is DTypeRequest {
  return value === 'auto' || isModelDType(value);
}

/** Path of a session's graph inside the repository. */
export function onnxFileName(sessionName: string, dtype: ModelDType): string {
  return `onnx/${sessionName}${DTYPE_SUFFIX[dtype]}.onnx`;
}

/**
 * The dtype of each session: the caller's choice first, then `transformers.js_config.dtype`
 * from config.json (a string or a per-session map, as the Hub's converted repositories write
 * it), then fp32 — the full-precision graph every converted repository has. transformers.js
 * would fall back to q8 on wasm at that last step; we keep fp32 so that an unspecified dtype
 * gives the reference numbers, and quantized weights are always a choice someone made ('auto'
 * included: it is left in place here and settled by `variant-choice.ts`).
 */
export function resolveSessionDTypes(
  sessionNames: readonly string[],
  requested: DTypeOption | undefined,
  configDefault: unknown,
): Record<string, DTypeRequest> {
  const out: Record<string, DTypeRequest> = {};
  for (const name of sessionNames) {
    out[name] = pickDType(name, requested, 'dtype option') ?? pickDType(name, configDefault, 'config.json transformers.js_config.dtype') ?? 'fp32';
  }
  return out;
}

function pickDType(sessionName: string, option: unknown, source: string): DTypeRequest | undefined {
  if (option === undefined || option === null) return undefined;
  const value = typeof option === 'object' ? (option as Record<string, unknown>)[sessionName] : option;
  if (value === undefined) return undefined;
  if (!isDTypeRequest(value)) {
    throw new InvalidArgumentError(`Unknown dtype ${JSON.stringify(value)} in ${source}.`, {
      hint: `Use one of: ${MODEL_DTYPES.join(', ')}, auto.`,
    });
  }
  return value;
}
