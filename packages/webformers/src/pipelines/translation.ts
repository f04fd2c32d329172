/**
 * translation, as Python's TranslationPipeline: text2text-generation answering `translation_text`.
 * Multilingual tokenizers (m2m100, mbart, nllb) take `src_lang` / `tgt_lang`: the source language
 * code replaces the one the tokenizer's template writes, and generation starts with the target
 * language code (`forced_bos_token_id`), as their Python `_build_translation_inputs` do. Language
 * codes are the tokenizer's additional special tokens (`en_XX`, `eng_Latn`, or m2m100's `__en__`
 * for `en`). Single-pair models (marian, t5) need neither; t5 takes its prefix from
 * `task_specific_params["translation_{src}_to_{tgt}"]`.
 */
import type { BatchEncoding } from '../tokenizers/index.js';
import { Tensor } from '../utils/tensor.js';
import { PipelineInputError } from './errors.js';
import { rowsOf } from './pipeline-base.js';
import { Text2TextGenerationPipeline, type Text2TextOptions, type Text2TextOutput } from './text2text-generation.js';

export interface TranslationOptions extends Text2TextOptions {
  src_lang?: string;
  tgt_lang?: string;
}

/** Language-code tokens: mbart `en_XX`, nllb `eng_Latn`, m2m100 `__en__` (t5's `<extra_id_0>` are not). */
const LANGUAGE_CODE = /^(__[a-z]{2,3}__|[a-z]{2,3}_[A-Za-z]{2,4})$/;

export interface TranslationPipeline {
  (text: string, options?: TranslationOptions): Promise<Text2TextOutput[]>;
  (texts: string[], options?: TranslationOptions): Promise<(Text2TextOutput | Text2TextOutput[])[]>;
}

export class TranslationPipeline extends Text2TextGenerationPipeline {
  protected override readonly outputKey = 'translation_text';

  protected override settingsKey(options: TranslationOptions): string {
    return options.src_lang && options.tgt_lang ? `translation_${options.src_lang}_to_${options.tgt_lang}` : this.task;
  }

  protected override encode(text: string, options: TranslationOptions): { encoded: BatchEncoding; generation: Record<string, unknown> } {
    const { encoded } = super.encode(text, options);
    const codes = this.languageCodes();
    const target = this.languageId(options.tgt_lang, codes);
    const source = this.languageId(options.src_lang, codes);
    const generation: Record<string, unknown> = target === null ? {} : { forced_bos_token_id: target };
    if (source === null) return { encoded, generation };
    const ids = rowsOf<number>(encoded.input_ids, 'input_ids').map((row) => row.map((id) => (codes.has(id) ? source : id)));
    return { encoded: { ...encoded, input_ids: new Tensor('int64', ids.flat().map(BigInt), [ids.length, ids[0].length]) }, generation };
  }

  protected override generationOptions(options: Record<string, unknown>): Record<string, unknown> {
    const { src_lang: _src, tgt_lang: _tgt, ...rest } = options;
    return rest;
  }

  private languageCodes(): Map<number, string> {
    const codes = new Map<number, string>();
    for (const token of this.tokenizer.settings.additionalSpecialTokens.filter((t) => LANGUAGE_CODE.test(t))) {
      const id = this.tokenizer.convert_tokens_to_ids(token);
      if (id !== undefined && id !== this.tokenizer.unk_token_id) codes.set(id, token);
    }
    return codes;
  }

  /**
   * The id of a language code, null when no language was given. A language the tokenizer has no
   * code for is only accepted when config.json has settings for the pair (t5's task prefixes).
   */
  private languageId(language: string | undefined, codes: Map<number, string>): number | null {
    if (language === undefined) return null;
    for (const [id, token] of codes) if (token === language || token === `__${language}__`) return id;
    const pairs = Object.keys((this.model.config.task_specific_params as object | undefined) ?? {}).filter((k) => k.startsWith('translation_'));
    if (pairs.length > 0) return null;
    throw new PipelineInputError(this.task, `the tokenizer has no language code for "${language}".`, codes.size > 0
      ? `Use one of its codes: ${[...codes.values()].slice(0, 8).join(', ')}, ...`
      : 'This model translates one fixed language pair: leave out src_lang and tgt_lang.');
  }
}
