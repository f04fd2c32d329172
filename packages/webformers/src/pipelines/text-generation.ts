/**
 * text-generation, as Python's TextGenerationPipeline: a prompt (or a chat, rendered with the
 * tokenizer's chat template and a generation prompt) is continued by the model. Each input is
 * generated on its own (Python's default batch size 1, so no padding); the text is decoded without
 * special tokens and, with `return_full_text` (default), the decoded prompt is replaced by the
 * caller's own prompt string (or the chat plus an assistant message).
 */
import type { GenerativeModel } from '../generation/index.js';
import type { BatchEncoding, ChatMessage } from '../tokenizers/index.js';
import { PipelineInputError } from './errors.js';
import { generateRows, taskSettings, type GenerationCallOptions } from './generation-call.js';
import { Pipeline, rowsOf } from './pipeline-base.js';

export interface TextGenerationOptions extends GenerationCallOptions {
  /** Default true: the prompt followed by the new text; false: the new text only. */
  return_full_text?: boolean;
  /** Default false for text prompts, as Python (chat templates write their own special tokens). */
  add_special_tokens?: boolean;
  /** Default true (Python's pipeline default). */
  clean_up_tokenization_spaces?: boolean;
  /** Text put before each prompt. */
  prefix?: string;
}

export type Chat = ChatMessage[];
export type TextGenerationInput = string | Chat;

export interface TextGenerationOutput {
  /** A string, or for chat input with `return_full_text` the chat with the assistant's reply appended. */
  generated_text: string | Chat;
}

type Result = TextGenerationOutput[];

/** One input gives one list (one entry per returned sequence); several inputs give a list per input. */
export interface TextGenerationPipeline {
  (input: string | Chat, options?: TextGenerationOptions): Promise<Result>;
  (inputs: string[] | Chat[], options?: TextGenerationOptions): Promise<Result[]>;
}

const isChat = (value: unknown): value is Chat => Array.isArray(value) && value.every((m) => typeof m === 'object' && m !== null && 'role' in m);

export class TextGenerationPipeline extends Pipeline<[TextGenerationInput | TextGenerationInput[], TextGenerationOptions?], Result | Result[]> {
  declare readonly model: GenerativeModel;

  protected async _call(input: TextGenerationInput | TextGenerationInput[], options: TextGenerationOptions = {}) {
    const single = typeof input === 'string' || isChat(input);
    const items: TextGenerationInput[] = single ? [input] : (input as TextGenerationInput[]);
    if (items.length === 0) throw new PipelineInputError(this.task, 'got an empty batch.', 'Pass at least one prompt or chat.');
    const results: Result[] = [];
    for (const item of items) results.push(await this.generateOne(item, options));
    return single ? results[0] : results;
  }

  private async generateOne(item: TextGenerationInput, options: TextGenerationOptions): Promise<Result> {
    const { return_full_text = true, add_special_tokens = false, clean_up_tokenization_spaces = true, prefix, ...generation } = options;
    const settings = taskSettings(this.model, 'text-generation');
    const encoded = isChat(item)
      ? (this.tokenizer.apply_chat_template(item, { add_generation_prompt: true, return_dict: true }) as BatchEncoding)
      : this.tokenizer((prefix ?? settings.prefix) + item, { add_special_tokens });
    const prompt = rowsOf<number>(encoded.input_ids, 'input_ids')[0];
    const sequences = await generateRows(this.model, encoded, settings.generation, { ...generation, tokenizer: this.tokenizer });
    const decodeOptions = { skip_special_tokens: true, clean_up_tokenization_spaces };
    const promptText = this.tokenizer.decode(prompt, decodeOptions);
    return sequences.map((ids) => {
      const newText = this.tokenizer.decode(ids, decodeOptions).slice(promptText.length);
      if (!return_full_text) return { generated_text: newText };
      return { generated_text: isChat(item) ? [...item, { role: 'assistant', content: newText }] : item + newText };
    });
  }
}
