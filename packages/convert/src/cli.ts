#!/usr/bin/env node
/**
 * webformers-convert <model dir> --dtype fp16,q8,q4,q4f16 [--keep-io-types | --no-keep-io-types]
 *   [--per-channel] [--symmetric] [--block-size 32] [--quantize-embeddings] [--strict-dtype]
 *   [--calibrate] [--target-cosine [C] | --no-check]
 * Writes onnx/<graph>_fp16.onnx, _quantized, _q4, _q4f16 beside each fp32 graph.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConvertError, ConvertOptionError } from './errors.js';
import { ortRunner, type GraphRunner } from './accuracy/runner.js';
import type { AccuracyReport } from './accuracy/target.js';
import { DTYPES, type Dtype, type KeptWeight } from './index.js';
import { calibrateModelFolder, checkConvertedFiles, convertModelFolder, convertModelFolderToTarget, type ConvertedFile, type FolderOptions } from './model-files.js';

const USAGE = `usage: webformers-convert <model dir> --dtype fp16,q8,q4,q4f16
  [--keep-io-types | --no-keep-io-types]  fp16/q4f16: float32 graph inputs and outputs (default: keep)
  [--per-channel]                         q8: one scale per output column
  [--symmetric]                           q4: blocks without zero points
  [--block-size N]                        q4: values per block (default 32)
  [--quantize-embeddings]                 also quantize Gather embedding tables
  [--strict-dtype]                        q8/q4: every weight at the dtype's precision (default:
                                          the most error-prone weights per byte move up a level)
  [--calibrate]                           q4/q4f16: error-compensated 4-bit blocks (GPTQ), fitted to
                                          the fp32 models' activations on calibration probes
                                          (onnxruntime-web; always on with --target-cosine)
  [--target-cosine [C]]                   run the models on probe inputs (onnxruntime-web) and move
                                          weights up until every output's cosine against fp32 is at
                                          least C (default: fp16 0.999, q8 0.99, q4/q4f16 0.98)
  [--no-check]                            skip the default check (the written variants on the probes,
                                          one run, with a warning when one is under its dtype's bar)`;

export interface CliArgs {
  folder: string;
  dtypes: Dtype[];
  options: FolderOptions;
  /** --target-cosine: the accuracy-guided plan, with this target (null: each dtype's default). */
  target?: number | null;
  /** false with --no-check: the variants are not run on the probes. */
  check: boolean;
  /** --calibrate: the default plan with error-compensated 4-bit blocks. */
  calibrate?: boolean;
}

/** Loads onnxruntime-web; a parameter so that its absence can be tested. */
export type LoadRuntime = () => Promise<typeof import('onnxruntime-web')>;

function optionError(option: string, detail: string): ConvertOptionError {
  return new ConvertOptionError({ option, detail, hint: USAGE });
}

export function parseArgs(argv: string[]): CliArgs {
  const options: FolderOptions = {};
  let folder: string | undefined;
  let dtypes: Dtype[] | undefined;
  let target: number | null | undefined;
  let check = true;
  let calibrate: true | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--dtype': {
        const list = (argv[++i] ?? '').split(',').filter(Boolean);
        const unknown = list.find((d) => !DTYPES.includes(d as Dtype));
        if (list.length === 0 || unknown !== undefined) throw optionError('--dtype', `"${unknown ?? ''}" is not one of ${DTYPES.join(', ')}`);
        dtypes = list as Dtype[];
        break;
      }
      case '--keep-io-types':
        options.keepIoTypes = true;
        break;
      case '--no-keep-io-types':
        options.keepIoTypes = false;
        break;
      case '--per-channel':
        options.perChannel = true;
        break;
      case '--symmetric':
        options.symmetric = true;
        break;
      case '--quantize-embeddings':
        options.quantizeEmbeddings = true;
        break;
      case '--strict-dtype':
        options.strictDtype = true;
        break;
      case '--block-size': {
        const size = Number(argv[++i]);
        if (!Number.isInteger(size)) throw optionError('--block-size', `"${argv[i]}" is not an integer`);
        options.blockSize = size;
        break;
      }
      case '--target-cosine': {
        const value = Number(argv[i + 1]);
        target = argv[i + 1] !== undefined && !Number.isNaN(value) ? value : null;
        if (target !== null) i++;
        if (target !== null && !(target > -1 && target <= 1)) throw optionError('--target-cosine', `${target} is not a cosine (-1, 1]`);
        break;
      }
      case '--no-check':
        check = false;
        break;
      case '--calibrate':
        calibrate = true;
        break;
      default:
        if (arg.startsWith('--') || folder !== undefined) throw optionError(arg, 'unknown argument');
        folder = arg;
    }
  }
  if (folder === undefined) throw optionError('<model dir>', 'missing');
  if (!existsSync(join(folder, 'onnx'))) throw optionError('<model dir>', `${folder} has no onnx/ folder`);
  return { folder, dtypes: dtypes ?? [...DTYPES], options, target, check, calibrate };
}

// Loaded only when used: converting without probes needs no inference engine.
async function runnerOf(loadRuntime: LoadRuntime): Promise<GraphRunner> {
  const ort = await loadRuntime();
  ort.env.logLevel = 'error';
  return ortRunner(ort);
}

/** --calibrate cannot do without the runtime, unlike the check. */
async function calibrationRunner(loadRuntime: LoadRuntime): Promise<GraphRunner> {
  try {
    return await runnerOf(loadRuntime);
  } catch (error) {
    throw new ConvertOptionError({
      option: '--calibrate',
      detail: `onnxruntime-web could not be imported (${error instanceof Error ? error.message : String(error)}), and calibration runs the fp32 models`,
      hint: 'Install onnxruntime-web, or convert without --calibrate.',
    });
  }
}

interface Conversion {
  files: ConvertedFile[];
  /** Probe results by dtype, when the variants were run. */
  reports: Partial<Record<Dtype, AccuracyReport>>;
}

async function convertToTarget(args: CliArgs, loadRuntime: LoadRuntime): Promise<Conversion> {
  const files = await convertModelFolderToTarget(args.folder, args.dtypes, { ...args.options, runner: await runnerOf(loadRuntime), targetCosine: args.target ?? undefined });
  for (const dtype of args.dtypes) {
    const { accuracy } = files.find((f) => f.dtype === dtype)!;
    const verdict = accuracy.met ? 'met' : 'NOT MET: every weight that could move up did';
    console.log(`${dtype.padEnd(6)} probes: min cosine ${accuracy.minCosine.toFixed(5)}, target ${accuracy.target} ${verdict} (${accuracy.evaluations} variants tried)`);
  }
  return { files, reports: {} };
}

/** The data-free plan, then (unless --no-check) one probe run of what it wrote; the check never fails the conversion. */
async function convertAndCheck(args: CliArgs, loadRuntime: LoadRuntime): Promise<Conversion> {
  const fourBit = args.dtypes.some((d) => d === 'q4' || d === 'q4f16');
  const calibration = args.calibrate && fourBit ? await calibrateModelFolder(args.folder, await calibrationRunner(loadRuntime)) : undefined;
  const files = convertModelFolder(args.folder, args.dtypes, { ...args.options, calibration });
  if (!args.check) return { files, reports: {} };
  let runner: GraphRunner;
  try {
    runner = await runnerOf(loadRuntime);
  } catch (error) {
    console.warn(`webformers-convert: onnxruntime-web could not be imported (${error instanceof Error ? error.message : String(error)}); the variants were written but not checked on the probes. Install onnxruntime-web to check them, or pass --no-check.`);
    return { files, reports: {} };
  }
  const { reports, unchecked } = await checkConvertedFiles(files, runner);
  for (const u of unchecked) console.warn(`webformers-convert: the ${u.dtype} variant was written but not checked: ${u.reason}`);
  return { files, reports };
}

function belowBarWarning(dtype: Dtype, report: AccuracyReport, strictDtype: boolean): string {
  const strict = strictDtype ? ' (without --strict-dtype the most error-prone weights move up a level)' : '';
  return (
    `webformers-convert: WARNING: the ${dtype} variant's min cosine against fp32 on the probes is ${report.minCosine.toFixed(5)}, under the ${dtype} bar ${report.target}. ` +
    `Convert again with --target-cosine to move weights up until it holds${strict}, or use a wider dtype.`
  );
}

function levelName(level: KeptWeight['to'] | KeptWeight['from']): string {
  return level === 'float' ? 'float32' : level === 'int8' ? 'int8 per column' : `${level} bits`;
}

export async function main(argv: string[], loadRuntime: LoadRuntime = () => import('onnxruntime-web')): Promise<number> {
  try {
    const args = parseArgs(argv);
    const { files, reports } = await (args.target === undefined ? convertAndCheck : convertToTarget)(args, loadRuntime);
    for (const r of files) {
      const ratio = (r.bytes / r.sourceBytes).toFixed(3);
      const report = reports[r.dtype];
      const cosine = report === undefined ? '' : `  min cosine ${report.minCosine.toFixed(5)}`;
      console.log(`${r.dtype.padEnd(6)} ${r.files.join(' + ')}  ${r.bytes} bytes (${ratio} of fp32)${cosine}  ${r.milliseconds.toFixed(0)} ms`);
      for (const k of r.keptWeights) {
        const why = k.error === undefined ? 'probes' : `${k.from}-bit error ${k.error.toFixed(3)}`;
        console.log(`         kept ${k.weight} at ${levelName(k.to)} (${why})`);
      }
    }
    for (const dtype of args.dtypes) {
      const report = reports[dtype];
      if (report !== undefined && !report.met) console.warn(belowBarWarning(dtype, report, args.options.strictDtype ?? false));
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ConvertError)) throw error;
    console.error(`webformers-convert: ${error.message}`);
    return 1;
  }
}

// npm links bin entries, so compare real paths to tell "run as a program" from "imported".
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
