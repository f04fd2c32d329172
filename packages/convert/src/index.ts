/**
 * @webformers/convert: fp16 / int8 / int4 variants of an ONNX model, in the browser or in
 * Node. Nothing here touches a file system; the CLI (cli.ts) and node.ts add that.
 */
import { ConvertOptionError } from './errors.js';
import { decodeModel, encodeModelParts, joinParts } from './onnx/codec.js';
import {
  exceedsProtobufLimit,
  moveToExternalData,
  resolveExternalData,
  DEFAULT_EXTERNAL_MIN_BYTES,
  type ExternalDataFile,
  type ExternalDataReader,
} from './onnx/external-data.js';
import type { ModelProto } from './onnx/types.js';
import { convertToFloat16 } from './variants/fp16.js';
import type { WeightCalibration } from './variants/gptq.js';
import type { KeptWeight, Precision, UpLevel } from './variants/precision.js';
import { quantizeWeights, type QuantizedWeights } from './variants/quantize-weights.js';

export type Dtype = 'fp16' | 'q8' | 'q4' | 'q4f16';

export const DTYPES: readonly Dtype[] = ['fp16', 'q8', 'q4', 'q4f16'];

/** File-name suffix of each variant, as the Hub and transformers.js name them. */
export const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp16: '_fp16',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
};

export interface QuantizeOptions {
  dtype: Dtype;
  /** fp16 / q4f16: graph inputs and outputs keep float32. Default true. */
  keepIoTypes?: boolean;
  /** q8: one scale per output column instead of one per weight. Default false. */
  perChannel?: boolean;
  /** q4 / q4f16: symmetric blocks (no zero points). Default false, as onnxruntime's quantizer. */
  symmetric?: boolean;
  /** q4 / q4f16: weights per quantization block along K. Default 32. */
  blockSize?: number;
  /**
   * Also quantize embedding tables read by Gather: q8 as int8 rows with a scale per row; q4 and
   * q4f16 as 4-bit blocks (GatherBlockQuantized). Ignored by fp16. Default false. A table tied
   * to the LM head is quantized either way (one copy serves both).
   */
  quantizeEmbeddings?: boolean;
  /**
   * q8 / q4 / q4f16: every weight at the variant's precision. Default false: the mixed-precision
   * plan (variants/precision.ts) moves the weights whose quantization error costs most per byte
   * up to q8's int8 form (q4) or float32 (q8), spending at most PRECISION_HEADROOM of the
   * float32 weight bytes (q4: and keeping under 1/5 of them where the 4-bit form is);
   * ConvertedModel.keptWeights lists them.
   */
  strictDtype?: boolean;
  /**
   * q8 / q4 / q4f16: weights (initializer names) stored at a higher level whatever the plan
   * says: `'int8'` (q8's int8 form with a scale per output column; for q8, a step up from one
   * scale per weight) or `'float'`. quantizeGraphsToTarget() fills this in.
   */
  keepWeights?: Readonly<Record<string, UpLevel>>;
  /**
   * q4 / q4f16: error-compensated 4-bit blocks (GPTQ) for the weights it covers, from
   * calibrateGraphs() (which runs the float32 model; quantizeGraphsToTarget calls it itself).
   * Default: every block rounded to nearest.
   */
  calibration?: WeightCalibration;
  /** Reads external-data files that sit beside the source model. */
  externalData?: ExternalDataReader;
  /**
   * Write weights to an external-data file of this name (e.g. `model_q4.onnx_data`).
   * Without it, weights move out only when the model would pass protobuf's 2 GB limit, and
   * then to `<outputName>_data` (outputName is required for that case).
   */
  externalDataLocation?: string;
  /** Initializers smaller than this stay inline when external data is written. Default 1024 bytes. */
  externalDataMinBytes?: number;
  /** File name the output will have; names the external-data file when one is needed. */
  outputName?: string;
}

export interface ConvertedModel {
  /** The .onnx file. */
  model: Uint8Array;
  /** The external-data file to write beside it, when weights moved out. */
  externalData?: ExternalDataFile;
  /** Weights the mixed-precision plan (or `keepWeights`) kept above the variant's precision. */
  keptWeights: KeptWeight[];
  /** The level of every weight the variant could quantize, by initializer name (empty for fp16). */
  weightLevels: Map<string, Precision>;
}

function keptLevels(options: QuantizeOptions): Map<string, UpLevel> | undefined {
  if (!options.keepWeights) return undefined;
  const levels = new Map(Object.entries(options.keepWeights));
  for (const [weight, level] of levels) {
    if (level === 'float' || level === 'int8') continue;
    throw new ConvertOptionError({
      option: 'keepWeights',
      detail: `weight "${weight}": unknown level "${String(level)}"`,
      hint: "Use 'int8' (q8's int8 form with a scale per output column) or 'float'.",
    });
  }
  return levels;
}

function applyVariant(model: ModelProto, options: QuantizeOptions): QuantizedWeights {
  const weights = {
    perChannel: options.perChannel,
    symmetric: options.symmetric,
    blockSize: options.blockSize,
    quantizeEmbeddings: options.quantizeEmbeddings,
    strictDtype: options.strictDtype,
    keepWeights: keptLevels(options),
    calibration: options.calibration,
  };
  switch (options.dtype) {
    case 'fp16':
      convertToFloat16(model, { keepIoTypes: options.keepIoTypes });
      return { kept: [], levels: new Map() };
    case 'q8':
      return quantizeWeights(model, { ...weights, dtype: 'q8', halfScales: true });
    case 'q4':
      return quantizeWeights(model, { ...weights, dtype: 'q4', halfScales: true });
    case 'q4f16': {
      // MatMulNBits scales become float16 with the rest, so activations stay float16 end to end.
      const kept = quantizeWeights(model, { ...weights, dtype: 'q4' });
      convertToFloat16(model, { keepIoTypes: options.keepIoTypes });
      return kept;
    }
    default:
      throw new ConvertOptionError({
        option: 'dtype',
        detail: `unknown dtype "${String(options.dtype)}"`,
        hint: `Use one of ${DTYPES.join(', ')}.`,
      });
  }
}

function externalLocation(options: QuantizeOptions): string | undefined {
  if (options.externalDataLocation) return options.externalDataLocation;
  return options.outputName ? `${options.outputName}_data` : undefined;
}

/** Converts one ONNX model; returns the new model and, for large models, its external data. */
export function quantizeModel(modelBytes: Uint8Array, options: QuantizeOptions): ConvertedModel {
  const model = decodeModel(modelBytes);
  resolveExternalData(model.graph, options.externalData);
  const { kept: keptWeights, levels: weightLevels } = applyVariant(model, options);
  let externalData: ExternalDataFile | undefined;
  if (options.externalDataLocation || exceedsProtobufLimit(model.graph)) {
    const location = externalLocation(options);
    if (!location) {
      throw new ConvertOptionError({
        option: 'outputName',
        detail: 'the converted model is over 2 GB and must keep its weights in an external-data file',
        hint: 'Pass outputName (e.g. "model_q4.onnx") or externalDataLocation, and write ConvertedModel.externalData beside the model.',
      });
    }
    externalData = moveToExternalData(model.graph, location, options.externalDataMinBytes ?? DEFAULT_EXTERNAL_MIN_BYTES);
  }
  return { model: joinParts(encodeModelParts(model)), externalData, keptWeights, weightLevels };
}

/** Converts a model that fits in one file (under 2 GB after conversion). */
export function quantize(modelBytes: Uint8Array, options: QuantizeOptions): Uint8Array {
  const { model, externalData } = quantizeModel(modelBytes, options);
  if (externalData) {
    throw new ConvertOptionError({
      option: 'externalDataLocation',
      detail: 'the converted model needs an external-data file, which quantize() cannot return',
      hint: 'Call quantizeModel() and write both ConvertedModel.model and ConvertedModel.externalData.',
    });
  }
  return model;
}

export { ConvertError, ConvertOptionError, ExternalDataError, OnnxFormatError, UnsupportedNodeError } from './errors.js';
export type { ExternalDataFile, ExternalDataReader } from './onnx/external-data.js';
export type { KeptWeight, Precision, UpLevel } from './variants/precision.js';
export { PRECISION_HEADROOM } from './variants/quantize-weights.js';
export { DEFAULT_TARGET_COSINE, measureGraphs, quantizeGraphsToTarget, type AccuracyReport, type TargetOptions, type TargetedGraphs } from './accuracy/target.js';
export { calibrateGraphs } from './accuracy/calibration.js';
export type { WeightCalibration } from './variants/gptq.js';
export { ortRunner, type GraphRunner, type GraphSession, type OrtModule, type ProbeTensor } from './accuracy/runner.js';
