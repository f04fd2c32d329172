/**
 * Node only (`@webformers/convert/node`): model folders on disk. Reads external data beside
 * the source model, writes each variant (and its external data) beside `model.onnx`.
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ExternalDataError } from './errors.js';
import { DTYPE_SUFFIX, quantizeModel, type ConvertedModel, type Dtype, type KeptWeight, type QuantizeOptions } from './index.js';
import { DEFAULT_TARGET_COSINE, measureGraphs, quantizeGraphsToTarget, type AccuracyReport } from './accuracy/target.js';
import { calibrateGraphs } from './accuracy/calibration.js';
import type { GraphRunner } from './accuracy/runner.js';
import type { ExternalDataReader } from './onnx/external-data.js';
import type { WeightCalibration } from './variants/gptq.js';

/** Reads external-data files from the folder of the model, at the offsets the tensors name. */
export function externalDataFromFolder(folder: string): ExternalDataReader {
  return {
    read(location, offset, length) {
      const path = join(folder, location);
      if (!existsSync(path)) {
        throw new ExternalDataError({
          tensor: location,
          detail: `external data file ${path} does not exist`,
          hint: 'Download the .onnx_data file that belongs to the model into the same folder.',
        });
      }
      const fd = openSync(path, 'r');
      try {
        const size = length ?? Math.max(0, fstatSync(fd).size - offset);
        const out = new Uint8Array(size);
        let done = 0;
        while (done < size) {
          const n = readSync(fd, out, done, size - done, offset + done);
          if (n === 0) break;
          done += n;
        }
        return out.subarray(0, done);
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Writes the model and, when present, its external-data file beside it. */
export function writeConvertedModel(folder: string, fileName: string, converted: ConvertedModel): string[] {
  const written = [join(folder, fileName)];
  writeParts(written[0], [converted.model]);
  if (converted.externalData) {
    const dataPath = join(folder, converted.externalData.location);
    writeParts(dataPath, converted.externalData.parts);
    written.push(dataPath);
  }
  return written;
}

function writeParts(path: string, parts: Uint8Array[]): void {
  const fd = openSync(path, 'w');
  try {
    for (const part of parts) {
      let done = 0;
      while (done < part.length) done += writeSync(fd, part, done, part.length - done);
    }
  } finally {
    closeSync(fd);
  }
}

/** fp32 graphs a model folder may hold under onnx/ (decoder-only, encoder-decoder, split decoders). */
const BASE_GRAPHS = ['model', 'encoder_model', 'decoder_model_merged', 'decoder_model', 'decoder_with_past_model'];

export function baseGraphs(onnxFolder: string): string[] {
  const present = new Set(readdirSync(onnxFolder));
  return BASE_GRAPHS.filter((name) => present.has(`${name}.onnx`));
}

export interface ConvertedFile {
  source: string;
  dtype: Dtype;
  files: string[];
  sourceBytes: number;
  bytes: number;
  milliseconds: number;
  /** Weights the mixed-precision plan kept above the variant's precision. */
  keptWeights: KeptWeight[];
}

export interface FolderOptions extends Omit<QuantizeOptions, 'dtype' | 'externalData' | 'outputName' | 'calibration'> {
  /** q4 / q4f16: error-compensated 4-bit blocks, calibrateModelFolder()'s result (by graph: `encoder_model`, ...). */
  calibration?: Readonly<Record<string, WeightCalibration>>;
}

/** Reads the fp32 graphs of `<modelFolder>/onnx/`, by base name (`model`, `encoder_model`, ...). */
function readBaseGraphs(onnxFolder: string): Record<string, Uint8Array> {
  return Object.fromEntries(baseGraphs(onnxFolder).map((base) => [base, new Uint8Array(readFileSync(join(onnxFolder, `${base}.onnx`)))]));
}

/**
 * Runs the fp32 graphs of a folder on calibration probes (accuracy/calibration.ts) for
 * convertModelFolder's `calibration`. Graphs over 2 GB (external data) are not supported.
 */
export function calibrateModelFolder(modelFolder: string, runner: GraphRunner): Promise<Record<string, WeightCalibration>> {
  return calibrateGraphs(readBaseGraphs(join(modelFolder, 'onnx')), runner);
}

/** Writes one variant; its time runs from `started` to the end of the write. */
function written(onnxFolder: string, base: string, dtype: Dtype, source: Uint8Array, converted: ConvertedModel, started: number): ConvertedFile {
  const files = writeConvertedModel(onnxFolder, `${base}${DTYPE_SUFFIX[dtype]}.onnx`, converted);
  return {
    source: join(onnxFolder, `${base}.onnx`),
    dtype,
    files,
    sourceBytes: source.length,
    bytes: converted.model.length + (converted.externalData?.byteLength ?? 0),
    milliseconds: performance.now() - started,
    keptWeights: converted.keptWeights,
  };
}

/** Writes every requested variant of every fp32 graph in `<modelFolder>/onnx/`. */
export function convertModelFolder(modelFolder: string, dtypes: readonly Dtype[], options: FolderOptions = {}): ConvertedFile[] {
  const onnxFolder = join(modelFolder, 'onnx');
  const results: ConvertedFile[] = [];
  const { calibration, ...quantizeOptions } = options;
  for (const base of baseGraphs(onnxFolder)) {
    const bytes = new Uint8Array(readFileSync(join(onnxFolder, `${base}.onnx`)));
    for (const dtype of dtypes) {
      const started = performance.now();
      const outputName = `${base}${DTYPE_SUFFIX[dtype]}.onnx`;
      const converted = quantizeModel(bytes, { ...quantizeOptions, dtype, outputName, externalData: externalDataFromFolder(onnxFolder), calibration: calibration?.[base] });
      results.push(written(onnxFolder, base, dtype, bytes, converted, started));
    }
  }
  return results;
}

export interface TargetFolderOptions extends Omit<FolderOptions, 'calibration'> {
  /** Runs the probes (ortRunner(ort)). */
  runner: GraphRunner;
  /** Default DEFAULT_TARGET_COSINE of each dtype. */
  targetCosine?: number;
  /** q4 / q4f16: error-compensated 4-bit blocks (default true; TargetOptions.calibrate). */
  calibrate?: boolean;
}

export interface TargetedFile extends ConvertedFile {
  /** The probes of all graphs of this dtype together; `milliseconds` is their conversion time together too. */
  accuracy: AccuracyReport;
}

/**
 * convertModelFolder with the accuracy-guided plan (accuracy/target.ts): the graphs of a
 * folder (an encoder and its decoder) are searched together, per dtype.
 */
export async function convertModelFolderToTarget(modelFolder: string, dtypes: readonly Dtype[], options: TargetFolderOptions): Promise<TargetedFile[]> {
  const onnxFolder = join(modelFolder, 'onnx');
  const sources = readBaseGraphs(onnxFolder);
  const results: TargetedFile[] = [];
  for (const dtype of dtypes) {
    const started = performance.now();
    const { graphs, accuracy } = await quantizeGraphsToTarget(sources, { ...options, dtype });
    for (const [base, converted] of Object.entries(graphs)) results.push({ ...written(onnxFolder, base, dtype, sources[base], converted, started), accuracy });
  }
  return results;
}

/** A dtype whose variants checkConvertedFiles could not run, and why. */
export interface UncheckedDtype {
  dtype: Dtype;
  reason: string;
}

export interface CheckedFiles {
  reports: Partial<Record<Dtype, AccuracyReport>>;
  unchecked: UncheckedDtype[];
}

/**
 * The check after a conversion without target: per dtype, the written variants of all graphs
 * together on the probes against float32 (one run each), against the dtype's bar. A variant
 * with external data is not checked: the runner loads models from bytes alone.
 */
export async function checkConvertedFiles(files: readonly ConvertedFile[], runner: GraphRunner): Promise<CheckedFiles> {
  const checked: CheckedFiles = { reports: {}, unchecked: [] };
  for (const dtype of new Set(files.map((f) => f.dtype))) {
    const ofDtype = files.filter((f) => f.dtype === dtype);
    if (ofDtype.some((f) => f.files.length > 1)) {
      checked.unchecked.push({ dtype, reason: 'its weights are in an external-data file, which the probes cannot load' });
      continue;
    }
    const graph = (f: ConvertedFile) => basename(f.source, '.onnx');
    const read = (path: string) => new Uint8Array(readFileSync(path));
    try {
      const minCosine = await measureGraphs(
        Object.fromEntries(ofDtype.map((f) => [graph(f), read(f.source)])),
        Object.fromEntries(ofDtype.map((f) => [graph(f), read(f.files[0])])),
        runner,
      );
      const target = DEFAULT_TARGET_COSINE[dtype];
      checked.reports[dtype] = { target, minCosine, met: minCosine >= target, evaluations: 1 };
    } catch (error) {
      checked.unchecked.push({ dtype, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return checked;
}
