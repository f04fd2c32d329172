import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { main, parseArgs } from '../src/cli.js';
import { FIXTURES } from './fixture-runner.js';

const work = mkdtempSync(join(tmpdir(), 'webformers-convert-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copyFixture(name: string): string {
  const folder = join(work, name);
  cpSync(join(FIXTURES, name, 'onnx'), join(folder, 'onnx'), { recursive: true });
  return folder;
}

async function loads(path: string): Promise<string[]> {
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(path)));
  const names = [...session.outputNames];
  await session.release();
  return names;
}

describe('webformers-convert', () => {
  test('writes model_fp16 / _quantized / _q4 / _q4f16 beside model.onnx, each loadable', async () => {
    const folder = copyFixture('tiny-random-bert-sequence-classification');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main([folder, '--dtype', 'fp16,q8,q4,q4f16', '--per-channel', '--strict-dtype', '--no-check'])).toBe(0);
    expect(log).toHaveBeenCalledTimes(4);
    expect(log.mock.calls.map((c) => String(c[0])).join('\n')).not.toMatch(/cosine/);
    log.mockRestore();
    for (const suffix of ['_fp16', '_quantized', '_q4', '_q4f16']) {
      expect(await loads(join(folder, 'onnx', `model${suffix}.onnx`))).toEqual(['logits']);
    }
  });

  test('converts each graph of an encoder-decoder folder', async () => {
    const folder = copyFixture('tiny-random-t5');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main([folder, '--dtype', 'q4', '--no-check'])).toBe(0);
    log.mockRestore();
    expect(existsSync(join(folder, 'onnx', 'encoder_model_q4.onnx'))).toBe(true);
    expect(existsSync(join(folder, 'onnx', 'decoder_model_merged_q4.onnx'))).toBe(true);
  });

  test('parses flags into options', () => {
    const folder = copyFixture('tiny-random-bert-nli');
    const args = parseArgs([folder, '--dtype', 'q4', '--symmetric', '--block-size', '64', '--no-keep-io-types', '--quantize-embeddings', '--strict-dtype']);
    expect(args).toEqual({
      folder,
      dtypes: ['q4'],
      options: { symmetric: true, blockSize: 64, keepIoTypes: false, quantizeEmbeddings: true, strictDtype: true },
      check: true,
    });
    expect(parseArgs([folder, '--no-check']).check).toBe(false);
  });

  test('--target-cosine takes an optional value (default: each dtype\'s bar)', () => {
    const folder = copyFixture('tiny-random-bert-nli');
    expect(parseArgs([folder, '--target-cosine', '0.995', '--dtype', 'q8']).target).toBe(0.995);
    expect(parseArgs([folder, '--target-cosine', '--dtype', 'q8']).target).toBeNull();
    expect(parseArgs([folder, '--dtype', 'q8']).target).toBeUndefined();
  });

  test('--target-cosine probes the variant and prints whether the target was met', async () => {
    const folder = copyFixture('tiny-random-bert-sequence-classification');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main([folder, '--dtype', 'q8', '--target-cosine'])).toBe(0);
    const lines = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    expect(lines[0]).toMatch(/^q8 +probes: min cosine 0\.\d{5}, target 0\.99 met/);
    expect(await loads(join(folder, 'onnx', 'model_quantized.onnx'))).toEqual(['logits']);
  });

  test('by default checks the written variant on the probes and warns when it is under its bar (T5 q8)', async () => {
    const folder = copyFixture('tiny-random-t5');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await main([folder, '--dtype', 'q8'])).toBe(0);
    const lines = log.mock.calls.map((c) => String(c[0]));
    const warnings = warn.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    warn.mockRestore();
    expect(lines).toHaveLength(2);
    const cosines = lines.map((l) => Number(/min cosine (0\.\d{5})/.exec(l)?.[1]));
    expect(cosines[0]).toBeLessThan(0.99);
    expect(cosines[1]).toBe(cosines[0]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`q8 variant's min cosine against fp32 on the probes is ${cosines[0].toFixed(5)}, under the q8 bar 0.99`);
    expect(warnings[0]).toContain('--target-cosine');
  });

  test('a variant that meets its bar gets its cosine printed and no warning (BERT q8)', async () => {
    const folder = copyFixture('tiny-random-bert-sequence-classification');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await main([folder, '--dtype', 'q8'])).toBe(0);
    const lines = log.mock.calls.map((c) => String(c[0])).filter((l) => l.includes(' bytes ('));
    const warned = warn.mock.calls.length;
    log.mockRestore();
    warn.mockRestore();
    expect(lines).toHaveLength(1);
    expect(Number(/min cosine (0\.\d{5}|1\.00000)/.exec(lines[0])?.[1])).toBeGreaterThanOrEqual(0.99);
    expect(warned).toBe(0);
  });

  test('without onnxruntime-web the variants are written, unchecked, with one notice', async () => {
    const folder = copyFixture('tiny-random-bert-nli');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await main([folder, '--dtype', 'q8,q4'], () => Promise.reject(new Error("Cannot find package 'onnxruntime-web'")))).toBe(0);
    const lines = log.mock.calls.map((c) => String(c[0])).filter((l) => l.includes(' bytes ('));
    const warnings = warn.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    warn.mockRestore();
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/cosine/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/onnxruntime-web could not be imported .*not checked/);
    expect(await loads(join(folder, 'onnx', 'model_q4.onnx'))).toEqual(['logits']);
  });

  test('--calibrate writes q4 with error-compensated blocks (another file than without), and needs onnxruntime-web', async () => {
    const folder = copyFixture('tiny-random-bert-sequence-classification');
    expect(parseArgs([folder, '--calibrate']).calibrate).toBe(true);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const written = join(folder, 'onnx', 'model_q4.onnx');
    expect(await main([folder, '--dtype', 'q4', '--no-check'])).toBe(0);
    const rounded = readFileSync(written);
    expect(await main([folder, '--dtype', 'q4', '--no-check', '--calibrate'])).toBe(0);
    const compensated = readFileSync(written);
    expect(await main([folder, '--dtype', 'q4', '--calibrate'], () => Promise.reject(new Error("Cannot find package 'onnxruntime-web'")))).toBe(1);
    const errors = error.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    error.mockRestore();
    expect(compensated.length).toBe(rounded.length);
    expect(compensated.equals(rounded)).toBe(false);
    expect(await loads(written)).toEqual(['logits']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/--calibrate.*onnxruntime-web could not be imported/s);
  });

  test('bad arguments print the usage and exit 1', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main([work, '--dtype', 'q3'])).toBe(1);
    expect(await main(['--dtype', 'q4'])).toBe(1);
    expect(await main([work, '--target-cosine', '1.5'])).toBe(1);
    expect(error.mock.calls[0][0]).toMatch(/usage: webformers-convert/);
    error.mockRestore();
  });
});
