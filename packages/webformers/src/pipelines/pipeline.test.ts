import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressInfo } from '../hub/index.js';
import { ModelHeadError } from '../models/errors.js';
import { useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { UnknownTaskError } from './errors.js';
import { pipeline, SUPPORTED_TASKS } from './pipeline.js';

describe('pipeline()', () => {
  beforeAll(useLocalFixtureModels);

  it('rejects an unknown task and lists the known ones', async () => {
    const error = await pipeline('summarise' as never, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownTaskError);
    expect((error as Error).message).toMatch(/Known tasks: text-classification, sentiment-analysis, token-classification, ner, question-answering, fill-mask, feature-extraction, zero-shot-classification/);
    expect(SUPPORTED_TASKS).toContain('ner');
  });

  it('rejects a model whose head does not fit the task', async () => {
    await expect(pipeline('question-answering', 'tiny-random-bert-sequence-classification')).rejects.toBeInstanceOf(ModelHeadError);
    await expect(pipeline('ner', 'tiny-random-bert-sequence-classification')).rejects.toThrow(/no token-classification head/);
    await expect(pipeline('feature-extraction', 'tiny-random-bert-masked-lm')).rejects.toThrow(/no feature-extraction head/);
  });

  it("reports file progress, then {status: 'ready', task, model}, and disposes", async () => {
    const events: ProgressInfo[] = [];
    const pipe = await pipeline('sentiment-analysis', 'tiny-random-bert-sequence-classification', { progress_callback: (e) => events.push(e) });
    expect(events.at(-1)).toEqual({ status: 'ready', task: 'sentiment-analysis', model: 'tiny-random-bert-sequence-classification' });
    expect(events.filter((e) => e.status === 'done').map((e) => (e as { file: string }).file)).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/model.onnx']));
    await pipe.dispose();
    await expect(pipe('Hello')).rejects.toThrow(/released/);
  });
});
