import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtureJSON, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { PipelineInputError } from './errors.js';
import { pipeline } from './pipeline.js';
import type { Text2TextGenerationPipeline } from './text2text-generation.js';

interface PipelineCase { input: string; kwargs: Record<string, unknown>; output: Record<string, string>[] }

// Each fixture's golden task: the kwargs-less cases stop at generation_config.json's max_length 20.
const FIXTURES = [
  ['tiny-random-bart', 'summarization'],
  ['tiny-random-t5', 'text2text-generation'],
] as const;

for (const [name, task] of FIXTURES) {
  describe(`${task} on ${name} matches Python's pipeline`, () => {
    const cases = readFixtureJSON<Record<string, PipelineCase[]>>(name, 'goldens/pipeline.json')[task];
    let pipe: Text2TextGenerationPipeline;
    beforeAll(async () => {
      await useLocalFixtureModels();
      pipe = await pipeline(task, name);
    });
    afterAll(() => pipe?.dispose());

    for (const c of cases) {
      it(`${JSON.stringify(c.input)} ${JSON.stringify(c.kwargs)}`, async () => {
        expect(await pipe(c.input, c.kwargs)).toEqual(c.output);
      });
    }

    it('answers a batch with one output per text (Python unwraps single sequences)', async () => {
      const picked = cases.filter((c) => Object.keys(c.kwargs).length === 0);
      expect(await pipe(picked.map((c) => c.input))).toEqual(picked.map((c) => c.output[0]));
    });
  });
}

describe('translation', () => {
  beforeAll(useLocalFixtureModels);

  it('runs as text2text answering translation_text, and refuses languages a single-pair model has no code for', async () => {
    const t5 = readFixtureJSON<Record<string, PipelineCase[]>>('tiny-random-t5', 'goldens/pipeline.json')['text2text-generation'][1];
    const translator = await pipeline('translation', 'tiny-random-t5');
    expect(await translator(t5.input, t5.kwargs)).toEqual([{ translation_text: t5.output[0].generated_text }]);
    await expect(translator(t5.input, { src_lang: 'en', tgt_lang: 'fr' })).rejects.toBeInstanceOf(PipelineInputError);
    await expect(translator(t5.input, { tgt_lang: 'fr' })).rejects.toThrow(/no language code for "fr".*fixed language pair/);
    await translator.dispose();
  });
});
