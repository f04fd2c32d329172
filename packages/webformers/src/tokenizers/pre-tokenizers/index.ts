/** tokenizer.json `pre_tokenizer` → PreTokenizer. */
import type { SplitDelimiterBehavior } from '../normalized-string.js';
import { patternFromConfig } from '../pattern.js';
import { TokenizerConfigError, type Json, type PreTokenizer } from '../types.js';
import { BertPreTokenizer } from './bert.js';
import { ByteLevelPreTokenizer } from './byte-level.js';
import { MetaspacePreTokenizer, type PrependScheme } from './metaspace.js';
import { DigitsPreTokenizer, PunctuationPreTokenizer } from './punctuation-and-digits.js';
import { SequencePreTokenizer } from './sequence.js';
import { SplitPreTokenizer } from './split.js';
import { WhitespacePreTokenizer, WhitespaceSplitPreTokenizer } from './whitespace.js';

export { BertPreTokenizer, ByteLevelPreTokenizer, DigitsPreTokenizer, MetaspacePreTokenizer, PunctuationPreTokenizer };
export { SequencePreTokenizer, SplitPreTokenizer, WhitespacePreTokenizer, WhitespaceSplitPreTokenizer };

const BEHAVIORS: Record<string, SplitDelimiterBehavior> = {
  Removed: 'removed',
  Isolated: 'isolated',
  MergedWithPrevious: 'merged_with_previous',
  MergedWithNext: 'merged_with_next',
  Contiguous: 'contiguous',
};

function behavior(json: Json, fallback: SplitDelimiterBehavior | null, component: string): SplitDelimiterBehavior {
  const v = json.behavior;
  if ((v === undefined || v === null) && fallback !== null) return fallback;
  const b = typeof v === 'string' ? BEHAVIORS[v] : undefined;
  if (b === undefined) {
    throw new TokenizerConfigError(component, `"behavior" must be one of ${Object.keys(BEHAVIORS).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return b;
}

function flag(json: Json, key: string, fallback: boolean, component: string): boolean {
  const v = json[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new TokenizerConfigError(component, `"${key}" must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

function metaspace(json: Json, component: string): MetaspacePreTokenizer {
  const replacement = json.replacement ?? '▁';
  if (typeof replacement !== 'string' || [...replacement].length !== 1) {
    throw new TokenizerConfigError(component, `"replacement" must be one character, got ${JSON.stringify(replacement)}`);
  }
  let scheme: PrependScheme;
  const raw = json.prepend_scheme;
  if (raw === undefined || raw === null) {
    // Files older than prepend_scheme only have add_prefix_space.
    scheme = flag(json, 'add_prefix_space', true, component) ? 'always' : 'never';
  } else if (raw === 'always' || raw === 'first' || raw === 'never') {
    scheme = raw;
  } else {
    throw new TokenizerConfigError(component, `"prepend_scheme" must be always, first or never, got ${JSON.stringify(raw)}`);
  }
  return new MetaspacePreTokenizer(replacement, scheme, flag(json, 'split', true, component));
}

/** Accepts the raw JSON value (null / undefined mean "none"); anything malformed throws `TokenizerConfigError`. */
export function preTokenizerFromConfig(value: unknown): PreTokenizer | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TokenizerConfigError('pre_tokenizer', `must be an object or null, got ${JSON.stringify(value)}`);
  }
  const json = value as Json;
  const type = json.type;
  const component = `pre_tokenizer ${String(type)}`;
  switch (type) {
    case 'ByteLevel':
      return new ByteLevelPreTokenizer(flag(json, 'add_prefix_space', true, component), flag(json, 'use_regex', true, component));
    case 'BertPreTokenizer':
      return new BertPreTokenizer();
    case 'Whitespace':
      return new WhitespacePreTokenizer();
    case 'WhitespaceSplit':
      return new WhitespaceSplitPreTokenizer();
    case 'Metaspace':
      return metaspace(json, component);
    case 'Split':
      return new SplitPreTokenizer(patternFromConfig(json.pattern, component), behavior(json, null, component), flag(json, 'invert', false, component));
    case 'Punctuation':
      return new PunctuationPreTokenizer(behavior(json, 'isolated', component));
    case 'Digits':
      return new DigitsPreTokenizer(flag(json, 'individual_digits', false, component));
    case 'Sequence': {
      const list = json.pretokenizers;
      if (!Array.isArray(list)) throw new TokenizerConfigError(component, '"pretokenizers" must be a list');
      return new SequencePreTokenizer(list.map((p: unknown) => preTokenizerFromConfig(p)).filter((p): p is PreTokenizer => p !== null));
    }
    default:
      throw new TokenizerConfigError(component, `unknown pre-tokenizer type ${JSON.stringify(type)}`, {
        hint: 'Supported: ByteLevel, BertPreTokenizer, Whitespace, WhitespaceSplit, Metaspace, Split, Punctuation, Digits, Sequence.',
      });
  }
}
