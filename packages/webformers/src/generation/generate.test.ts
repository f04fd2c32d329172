import { describe, expect, it } from 'vitest';
import { FakeStepModel, defaultTable, rowsOf } from '../../test/generation/fake-step-model.js';
import { InvalidArgumentError, NotSupportedError } from '../utils/errors.js';
import type { Tensor } from '../utils/tensor.js';
import { StepOutputError } from './decoding-state.js';
import { generate, type GenerateOutput, type GenerateRequest } from './generate.js';
import { argmax } from './math.js';

const V = 11;
const table = defaultTable(V);
const run = async (request: GenerateRequest, model = new FakeStepModel(V), defaults: Record<string, unknown> | null = null) =>
  ({ model, out: await generate(model, request, defaults) });
const ids = async (request: GenerateRequest, model?: FakeStepModel) => rowsOf((await run(request, model)).out as Tensor);

function logSoftmax(values: number[]): number[] {
  const max = Math.max(...values);
  const log = Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return values.map((v) => v - log);
}

describe('greedy search', () => {
  it('appends the argmax of each step\'s logits', async () => {
    const [row] = await ids({ input_ids: [[1, 2, 3]], max_new_tokens: 6 });
    expect(row).toHaveLength(9);
    for (let t = 3; t < row.length; t++) expect(row[t]).toBe(argmax(table(row.slice(0, t))));
  });

  it('stops a row at EOS (one of several ids)', async () => {
    const [free] = await ids({ input_ids: [[1, 2, 3]], max_new_tokens: 8 });
    const eos = free[5];
    const cut = free.indexOf(eos, 3);
    const [row] = await ids({ input_ids: [[1, 2, 3]], max_new_tokens: 8, eos_token_id: [V + 5, eos] });
    expect(row).toEqual(free.slice(0, cut + 1));
  });

  it('min_new_tokens keeps EOS out of the first new tokens', async () => {
    const [free] = await ids({ input_ids: [[1, 2, 3]], max_new_tokens: 8 });
    const eos = free[4];
    const [row] = await ids({ input_ids: [[1, 2, 3]], max_new_tokens: 8, eos_token_id: eos, min_new_tokens: 4 });
    expect(row.slice(3, 7)).not.toContain(eos);
  });

  it('pads rows that finished while others go on (left-padded batch)', async () => {
    const prompt = [[0, 4, 5], [6, 7, 8]];
    const mask = [[0, 1, 1], [1, 1, 1]];
    const free = await ids({ input_ids: prompt, attention_mask: mask, max_new_tokens: 6 });
    const eos = free[0][3];
    const rows = await ids({ input_ids: prompt, attention_mask: mask, max_new_tokens: 6, eos_token_id: eos, pad_token_id: 10 });
    expect(free[1].slice(3), 'precondition: row 1 never picks this EOS').not.toContain(eos);
    expect(rows[0]).toEqual([...free[0].slice(0, 4), 10, 10, 10, 10, 10]);
    expect(rows[1]).toEqual(free[1]);
  });

  it('returns processed scores per step with return_dict_in_generate + output_scores', async () => {
    const { out } = await run({ input_ids: [[1, 2]], max_new_tokens: 4, return_dict_in_generate: true, output_scores: true });
    const { sequences, scores } = out as GenerateOutput;
    const row = rowsOf(sequences)[0];
    expect(scores).toHaveLength(4);
    scores?.forEach((step, i) => {
      expect(step.dims).toEqual([1, V]);
      expect(argmax(step.data as Float32Array)).toBe(row[2 + i]);
    });
  });
});

describe('sampling', () => {
  it('is reproducible for a seed', async () => {
    const request = { input_ids: [[1, 2, 3]], max_new_tokens: 10, do_sample: true, top_k: 0, seed: 1234 };
    expect(await ids(request)).toEqual(await ids(request));
  });

  it('with top_k 1 equals greedy', async () => {
    const greedy = await ids({ input_ids: [[3, 1]], max_new_tokens: 7 });
    expect(await ids({ input_ids: [[3, 1]], max_new_tokens: 7, do_sample: true, top_k: 1, seed: 5 })).toEqual(greedy);
  });

  it('returns num_return_sequences rows per prompt', async () => {
    const rows = await ids({ input_ids: [[1, 2], [3, 4]], max_new_tokens: 3, do_sample: true, seed: 9, num_return_sequences: 3 });
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r.slice(0, 2))).toEqual([[1, 2], [1, 2], [1, 2], [3, 4], [3, 4], [3, 4]]);
  });
});

describe('beam search', () => {
  it('returns num_return_sequences rows sorted by score, scores = sum of log-probs / length^penalty', async () => {
    const lp = 1.5;
    const { out, model } = await run({
      input_ids: [[1, 2, 3]], max_new_tokens: 5, num_beams: 4, num_return_sequences: 3, length_penalty: lp,
      return_dict_in_generate: true, output_scores: true,
    });
    const { sequences, sequences_scores: scores } = out as GenerateOutput;
    const rows = rowsOf(sequences);
    const values = Array.from((scores as Tensor).data as Float32Array);
    expect(rows).toHaveLength(3);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    rows.forEach((row, i) => {
      let sum = 0;
      for (let t = 3; t < row.length; t++) sum += logSoftmax(table(row.slice(0, t)))[row[t]];
      expect(values[i]).toBeCloseTo(sum / (row.length - 3) ** lp, 4);
    });
    expect(model.resets).toBe(1);
  });

  it('keeps the model cache in step with the beams', async () => {
    const model = new FakeStepModel(V);
    await generate(model, { input_ids: [[1, 2, 3], [4, 5, 6]], max_new_tokens: 6, num_beams: 3 });
    // Every step the model sees must extend, row by row, some row it saw the step before.
    for (let s = 1; s < model.history.length; s++) {
      for (const row of model.history[s]) {
        expect(model.history[s - 1].some((prev) => prev.every((id, i) => row[i] === id))).toBe(true);
      }
    }
  });

  it('equals greedy when one continuation dominates', async () => {
    const peaked = (ids: readonly number[]) => table(ids).map((v) => v * 50);
    const greedy = await ids({ input_ids: [[2, 7]], max_new_tokens: 6 }, new FakeStepModel(V, peaked));
    const beams = await ids({ input_ids: [[2, 7]], max_new_tokens: 6, num_beams: 3 }, new FakeStepModel(V, peaked));
    expect(beams).toEqual(greedy);
  });

  it('ends a hypothesis at EOS and closes shorter rows with EOS then pad', async () => {
    const eos = 0;
    // EOS is the clear favourite after token 5, so beams through 5 finish early.
    const withEos = (ids: readonly number[]) => table(ids).map((v, tok) => (tok === eos ? (ids[ids.length - 1] === 5 ? 10 : -10) : v));
    const rows = await ids({ input_ids: [[5, 1]], max_new_tokens: 6, num_beams: 3, num_return_sequences: 3, eos_token_id: eos, pad_token_id: 9 },
      new FakeStepModel(V, withEos));
    const width = Math.max(...rows.map((r) => r.length));
    for (const row of rows) {
      expect(row).toHaveLength(width);
      const end = row.indexOf(eos, 2);
      if (end !== -1) expect(row.slice(end + 1).every((id) => id === 9)).toBe(true);
    }
  });
});

describe('encoder-decoder', () => {
  it('encodes once, starts from decoder_start_token_id and expands encoder rows for beams', async () => {
    const model = new FakeStepModel(V, table, true);
    const rows = rowsOf((await generate(model, { input_ids: [[4, 5, 6]], max_new_tokens: 4, num_beams: 2, num_return_sequences: 2 }, { decoder_start_token_id: 3 })) as Tensor);
    expect(rows.every((row) => row[0] === 3 && row.length === 5)).toBe(true);
    expect(model.history[0]).toEqual([[3], [3]]);
  });
});

describe('cancel, errors, streaming', () => {
  it('an aborted signal ends after the current step and returns the partial result', async () => {
    const controller = new AbortController();
    const model = new FakeStepModel(V);
    model.onStep = (step) => { if (step === 3) controller.abort(); };
    const rows = rowsOf((await generate(model, { input_ids: [[1, 2]], max_new_tokens: 10, signal: controller.signal })) as Tensor);
    expect(rows[0]).toHaveLength(5);
    expect(model.resets).toBe(1);
  });

  it('resets the model when a step fails', async () => {
    const model = new FakeStepModel(V);
    model.step = async () => new Float32Array(3);
    await expect(generate(model, { input_ids: [[1]], max_new_tokens: 2 })).rejects.toBeInstanceOf(StepOutputError);
    expect(model.resets).toBe(1);
  });

  it.each([
    [{ max_new_tokens: 0 }, InvalidArgumentError],
    [{ num_beams: 2, num_return_sequences: 3 }, InvalidArgumentError],
    [{ num_beams: 4, num_beam_groups: 2 }, NotSupportedError],
    [{ do_sample: true, temperature: 0 }, InvalidArgumentError],
    [{ do_sample: true, top_p: 1.5 }, InvalidArgumentError],
    [{ num_return_sequences: 2 }, InvalidArgumentError],
  ])('refuses %j before running the model', async (options, errorClass) => {
    const model = new FakeStepModel(V);
    await expect(generate(model, { input_ids: [[1, 2]], ...options })).rejects.toBeInstanceOf(errorClass);
    expect(model.steps).toBe(0);
  });

  it('refuses a prompt that fills the model context', async () => {
    await expect(generate(new FakeStepModel(V, table, false, 4), { input_ids: [[1, 2, 3, 4]] })).rejects.toThrow(/context/);
  });

  it('streams the prompt, then one token per step, then end', async () => {
    const calls: string[] = [];
    const streamer = { put: (t: readonly (readonly number[])[]) => calls.push(JSON.stringify(t)), end: () => calls.push('end') };
    const [row] = await ids({ input_ids: [[1, 2]], max_new_tokens: 3, streamer });
    expect(calls).toEqual(['[[1,2]]', ...row.slice(2).map((t) => `[[${t}]]`), 'end']);
  });

  it('stops at a stop string decoded across token boundaries', async () => {
    const [free] = await ids({ input_ids: [[1, 2]], max_new_tokens: 8 });
    const tokenizer = { decode: (list: readonly number[]) => list.map((id) => String.fromCharCode(97 + id)).join('') };
    const stop = tokenizer.decode(free.slice(4, 6));
    const [row] = await ids({ input_ids: [[1, 2]], max_new_tokens: 8, stop_strings: stop, tokenizer });
    expect(tokenizer.decode(row.slice(2))).toContain(stop);
    expect(tokenizer.decode(row.slice(2, -1))).not.toContain(stop);
  });
});
