/**
 * Python / transformers.js calling conventions of PreTrainedTokenizer that goldens do not show:
 * instances are callable, ragged batches cannot become tensors, inputs must pair up, and the chat
 * template is chosen the way Python chooses it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../utils/errors.js';
import { ChatTemplateError, selectChatTemplate } from './chat-template.js';
import { PreTrainedTokenizer } from './pretrained-tokenizer.js';

const model = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'models', 'tiny-random-gpt2');
const read = (file: string): any => JSON.parse(readFileSync(join(model, file), 'utf8'));
const tokenizer = PreTrainedTokenizer.fromJSON(read('tokenizer.json'), read('tokenizer_config.json'));
const batch = read('goldens/tokenizer.json').batch_cases[0] as { texts: string[] };

describe('PreTrainedTokenizer calling conventions', () => {
  it('is a callable function object that is also an instance', () => {
    expect(typeof tokenizer).toBe('function');
    expect(tokenizer).toBeInstanceOf(PreTrainedTokenizer);
    expect(tokenizer(batch.texts[0], { return_tensor: false }).input_ids).toEqual(tokenizer.encode(batch.texts[0]));
  });

  it('returns ragged lists without padding, and refuses to make them a tensor', () => {
    const lists = tokenizer(batch.texts, { return_tensor: false });
    expect(lists.input_ids).toEqual(batch.texts.map((t) => tokenizer.encode(t)));
    expect(() => tokenizer(batch.texts)).toThrow(InvalidArgumentError);
  });

  it('needs one text_pair per text', () => {
    expect(() => tokenizer(batch.texts, { text_pair: ['only one'] })).toThrow(InvalidArgumentError);
  });

  it('leaves token_type_ids out for GPT-2 (its model_input_names) unless asked', () => {
    expect(tokenizer(batch.texts[0]).token_type_ids).toBeUndefined();
    expect(tokenizer(batch.texts[0], { return_token_type_ids: true }).token_type_ids).toBeDefined();
  });
});

describe('selectChatTemplate', () => {
  const named = { default: 'D', tool_use: 'T', rag: 'R' };
  it('picks default, tool_use when tools are given, or the named one', () => {
    expect(selectChatTemplate(named, null, false)).toBe('D');
    expect(selectChatTemplate(named, null, true)).toBe('T');
    expect(selectChatTemplate(named, 'rag', false)).toBe('R');
    expect(selectChatTemplate('S', null, false)).toBe('S');
    expect(selectChatTemplate('S', '{{ x }}', false)).toBe('{{ x }}');
  });
  it('fails clearly when there is no template', () => {
    expect(() => selectChatTemplate(null, null, false)).toThrow(ChatTemplateError);
    expect(() => tokenizer.apply_chat_template([{ role: 'user', content: 'hi' }])).toThrow(ChatTemplateError);
  });
});
