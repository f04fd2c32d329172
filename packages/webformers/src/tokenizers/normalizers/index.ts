/** tokenizer.json `normalizer` → Normalizer. */
import { patternFromConfig } from '../pattern.js';
import { TokenizerConfigError, type Json, type Normalizer } from '../types.js';
import { BertNormalizer } from './bert.js';
import { ByteLevelNormalizer } from './byte-level.js';
import { LowercaseNormalizer, StripAccentsNormalizer } from './case-and-accents.js';
import { PrecompiledNormalizer } from './precompiled.js';
import { PrependNormalizer, ReplaceNormalizer } from './replace.js';
import { SequenceNormalizer } from './sequence.js';
import { StripNormalizer } from './strip.js';
import { UnicodeFormNormalizer } from './unicode-forms.js';

export { BertNormalizer, ByteLevelNormalizer, LowercaseNormalizer, PrecompiledNormalizer, PrependNormalizer, ReplaceNormalizer };
export { SequenceNormalizer, StripAccentsNormalizer, StripNormalizer, UnicodeFormNormalizer };

function flag(json: Json, key: string, fallback: boolean, component: string): boolean {
  const v = json[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new TokenizerConfigError(component, `"${key}" must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

function text(json: Json, key: string, component: string): string {
  const v = json[key];
  if (typeof v !== 'string') throw new TokenizerConfigError(component, `"${key}" must be a string, got ${JSON.stringify(v)}`);
  return v;
}

/** Accepts the raw JSON value (null / undefined mean "none"); anything malformed throws `TokenizerConfigError`. */
export function normalizerFromConfig(value: unknown): Normalizer | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TokenizerConfigError('normalizer', `must be an object or null, got ${JSON.stringify(value)}`);
  }
  const json = value as Json;
  const type = json.type;
  const component = `normalizer ${String(type)}`;
  switch (type) {
    case 'BertNormalizer': {
      const strip = json.strip_accents;
      if (strip !== undefined && strip !== null && typeof strip !== 'boolean') {
        throw new TokenizerConfigError(component, `"strip_accents" must be a boolean or null, got ${JSON.stringify(strip)}`);
      }
      return new BertNormalizer({
        cleanText: flag(json, 'clean_text', true, component),
        handleChineseChars: flag(json, 'handle_chinese_chars', true, component),
        stripAccents: strip ?? null,
        lowercase: flag(json, 'lowercase', true, component),
      });
    }
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return new UnicodeFormNormalizer(type);
    case 'Lowercase':
      return new LowercaseNormalizer();
    case 'StripAccents':
      return new StripAccentsNormalizer();
    case 'Strip':
      return new StripNormalizer(flag(json, 'strip_left', true, component), flag(json, 'strip_right', true, component));
    case 'Replace':
      return new ReplaceNormalizer(patternFromConfig(json.pattern, component), text(json, 'content', component));
    case 'Prepend':
      return new PrependNormalizer(text(json, 'prepend', component));
    case 'Precompiled':
      return new PrecompiledNormalizer(text(json, 'precompiled_charsmap', component));
    case 'ByteLevel':
      return new ByteLevelNormalizer();
    case 'Sequence': {
      const list = json.normalizers;
      if (!Array.isArray(list)) throw new TokenizerConfigError(component, '"normalizers" must be a list');
      return new SequenceNormalizer(list.map((n: unknown) => normalizerFromConfig(n)).filter((n): n is Normalizer => n !== null));
    }
    default:
      throw new TokenizerConfigError(component, `unknown normalizer type ${JSON.stringify(type)}`, {
        hint: 'Supported: BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Strip, Replace, Prepend, Precompiled, ByteLevel, Sequence.',
      });
  }
}
