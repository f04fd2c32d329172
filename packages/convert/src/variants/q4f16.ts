/**
 * q4f16: MatMul weights in 4-bit blocks (q4.ts), everything else in float16 (fp16.ts),
 * MatMulNBits scales included, so its activations stay float16 end to end.
 */
import type { ModelProto } from '../onnx/types.js';
import { convertToFloat16 } from './fp16.js';
import { quantizeGathers } from './gather.js';
import { quantizeInt4, type Q4Options } from './q4.js';

export interface Q4F16Options extends Q4Options {
  /** Graph inputs and outputs keep float32. Default true. */
  keepIoTypes?: boolean;
  /** Also store embedding tables in 4-bit blocks. Default false. */
  quantizeEmbeddings?: boolean;
}

/** Converts `model` in place. */
export function quantizeInt4Float16(model: ModelProto, options: Q4F16Options = {}): void {
  if (options.quantizeEmbeddings) quantizeGathers(model, { bits: 4, symmetric: options.symmetric, blockSize: options.blockSize });
  quantizeInt4(model, options);
  convertToFloat16(model, { keepIoTypes: options.keepIoTypes });
}
