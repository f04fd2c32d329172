/**
 * text2text-generation, as Python's Text2TextGenerationPipeline, and the base of summarization and
 * translation (which differ only in the output key and, for translation, the language setup): the
 * prefix from config (`task_specific_params[task].prefix`, else `prefix`) goes before each text,
 * each text is generated on its own (Python's batch size 1), and every returned sequence is
 * decoded without special tokens and, by default, without Python's clean-up of spaces.
 */
import type { GenerativeModel } from '../generation/index.js';
import type { BatchEncoding } from '../tokenizers/index.js';
import { PipelineInputError } from './errors.js';
import { generateRows, taskSettings, type GenerationCallOptions } from './generation-call.js';
import { Pipeline } from './pipeline-base.js';

export interface Text2TextOptions extends GenerationCallOptions {
  /** Default false (Python's default for these tasks). */
  clean_up_tokenization_spaces?: boolean;
  /** Default false: an input the model cannot take is an error of the model. */
  truncation?: boolean;
}

export type Text2TextOutput = Record<string, string>;

/** One text gives a list of outputs; several texts give one output each (a list each when several sequences are returned). */
export interface Text2TextGenerationPipeline {
  (text: string, options?: Text2TextOptions): Promise<Text2TextOutput[]>;
  (texts: string[], options?: Text2TextOptions): Promise<(Text2TextOutput | Text2TextOutput[])[]>;
}

export class Text2TextGenerationPipeline extends Pipeline<[string | string[], Text2TextOptions?], Text2TextOutput[] | (Text2TextOutput | Text2TextOutput[])[]> {
  declare readonly model: GenerativeModel;
  /** `{ [outputKey]: text }` per sequence. */
  protected readonly outputKey: string = 'generated_text';

  protected async _call(input: string | string[], options: Text2TextOptions = {}) {
    const { items, single } = this.batchOf(input);
    if (items.some((t) => typeof t !== 'string')) throw new PipelineInputError(this.task, 'expects text input.', 'Pass a string or a list of strings.');
    const results: Text2TextOutput[][] = [];
    for (const text of items) results.push(await this.generateOne(text, options));
    // Python unwraps a batch whose inputs each gave one sequence.
    return single ? results[0] : results.map((r) => (r.length === 1 ? r[0] : r));
  }

  /** Task key of config.json's `task_specific_params` for this call. */
  protected settingsKey(_options: Text2TextOptions): string {
    return this.task;
  }

  /** Tokenizes one text (after the prefix) and adds generation options the input implies. */
  protected encode(text: string, options: Text2TextOptions): { encoded: BatchEncoding; generation: Record<string, unknown> } {
    return { encoded: this.tokenizer(text, { truncation: options.truncation ?? false }), generation: {} };
  }

  private async generateOne(text: string, options: Text2TextOptions): Promise<Text2TextOutput[]> {
    const { clean_up_tokenization_spaces = false, truncation: _truncation, ...generation } = options;
    const settings = taskSettings(this.model, this.settingsKey(options));
    const { encoded, generation: implied } = this.encode(settings.prefix + text, options);
    const sequences = await generateRows(this.model, encoded, { ...settings.generation, ...implied }, { ...this.generationOptions(generation), tokenizer: this.tokenizer });
    return sequences.map((ids) => ({ [this.outputKey]: this.tokenizer.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces }) }));
  }

  /** The call's options that reach generate(); subclasses drop their own. */
  protected generationOptions(options: Record<string, unknown>): Record<string, unknown> {
    return options;
  }
}
