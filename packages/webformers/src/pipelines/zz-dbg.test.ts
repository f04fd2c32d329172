import { it } from 'vitest';
import { useLocalFixtureModels } from '../../test/support/model-goldens.js';
import { pipeline } from './pipeline.js';
const R = (t: any) => JSON.stringify(t.tolist().map((r: any) => r.map(Number)));
it('dbg', async () => {
  await useLocalFixtureModels();
  const pipe = await pipeline('text2text-generation', 'tiny-random-t5');
  const enc = pipe.tokenizer('Hello world');
  const out = await pipe.model.generate({ input_ids: enc.input_ids, attention_mask: enc.attention_mask });
  console.log('GOLDEN ' + R(enc.input_ids) + ' ' + R(out));
});
