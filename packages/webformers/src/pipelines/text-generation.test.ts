import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtureJSON, useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { TextIteratorStreamer, TextStreamer } from '../generation/index.js';
import { pipeline } from './pipeline.js';
import type { TextGenerationPipeline } from './text-generation.js';

interface PipelineCase { input: string; kwargs: Record<string, unknown>; output: { generated_text: string }[] }
interface ChatGolden { messages: { role: string; content: string }[]; add_generation_prompt: boolean; text: string; input_ids: number[] }

for (const name of ['tiny-random-gpt2', 'tiny-random-llama-qwen3tok']) {
  describe(`text-generation on ${name} matches Python's pipeline`, () => {
    const golden = readFixtureJSON<Record<string, unknown>>(name, 'goldens/pipeline.json');
    let generator: TextGenerationPipeline;
    beforeAll(async () => {
      await useLocalFixtureModels();
      generator = await pipeline('text-generation', name);
    });
    afterAll(() => generator?.dispose());

    for (const c of golden['text-generation'] as PipelineCase[]) {
      it(`${JSON.stringify(c.input)} ${JSON.stringify(c.kwargs)}`, async () => {
        expect(await generator(c.input, c.kwargs)).toEqual(c.output);
      });
    }

    it('takes a batch of prompts and answers one list per prompt', async () => {
      const cases = (golden['text-generation'] as PipelineCase[]).filter((c) => c.kwargs.return_full_text === undefined);
      expect(await generator(cases.map((c) => c.input), { max_new_tokens: 10 })).toEqual(cases.map((c) => c.output));
    });

    it('streams the new text through a TextStreamer and an async iterator', async () => {
      const c = (golden['text-generation'] as PipelineCase[]).find((k) => k.kwargs.return_full_text === false) as PipelineCase;
      const chunks: string[] = [];
      const streamer = new TextStreamer(generator.tokenizer, { skip_prompt: true, skip_special_tokens: true, callback_function: (t) => chunks.push(t) });
      await generator(c.input, { ...c.kwargs, streamer });
      expect(chunks.join('')).toBe(c.output[0].generated_text);

      const iterator = new TextIteratorStreamer(generator.tokenizer, { skip_prompt: true, skip_special_tokens: true });
      const done = generator(c.input, { ...c.kwargs, streamer: iterator });
      let text = '';
      for await (const chunk of iterator) text += chunk;
      await done;
      expect(text).toBe(c.output[0].generated_text);
    });
  });
}

describe('text-generation with a chat', () => {
  const name = 'tiny-random-llama-qwen3tok';
  const chat = readFixtureJSON<{ chat_template: ChatGolden[] }>(name, 'goldens/pipeline.json').chat_template[0];
  let generator: TextGenerationPipeline;
  beforeAll(async () => {
    await useLocalFixtureModels();
    generator = await pipeline('text-generation', name);
  });
  afterAll(() => generator?.dispose());

  it("renders the chat template as Python does (golden text and ids)", () => {
    expect(generator.tokenizer.apply_chat_template(chat.messages, { add_generation_prompt: true, tokenize: false })).toBe(chat.text);
    expect(generator.tokenizer.apply_chat_template(chat.messages, { add_generation_prompt: true, return_tensor: false })).toEqual(chat.input_ids);
  });

  it('continues the rendered chat and appends the reply as an assistant message', async () => {
    const expected = await generator.model.generate({ input_ids: [chat.input_ids], max_new_tokens: 5 });
    const ids = (expected as { tolist(): bigint[][] }).tolist()[0].map(Number).slice(chat.input_ids.length);
    const reply = generator.tokenizer.decode(ids, { skip_special_tokens: true });
    const [full] = await generator(chat.messages, { max_new_tokens: 5 });
    expect(full.generated_text).toEqual([...chat.messages, { role: 'assistant', content: reply }]);
    const [only] = await generator(chat.messages, { max_new_tokens: 5, return_full_text: false });
    expect(only.generated_text).toBe(reply);
  });
});
