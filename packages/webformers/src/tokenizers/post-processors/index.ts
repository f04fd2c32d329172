/** Builds the post-processor a tokenizer.json describes; malformed or unknown ones fail at load. */
import { TokenizerConfigError, type Json, type PostProcessor } from '../types.js';
import { ByteLevelProcessor } from './byte-level.js';
import { BertProcessing, RobertaProcessing, type SpecialToken } from './cls-sep-processing.js';
import { EncodingsProcessor } from './encodings-processor.js';
import { SequenceProcessor } from './sequence.js';
import { TemplateProcessing } from './template-processing.js';

export { EncodingsProcessor } from './encodings-processor.js';

function specialTokenPair(json: Json, field: string, type: string): SpecialToken {
  const v = json[field];
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || !Number.isInteger(v[1])) {
    throw new TokenizerConfigError(`post_processor (${type})`, `"${field}" must be a [token, id] pair, got ${JSON.stringify(v)}`);
  }
  return { token: v[0], id: v[1] as number };
}

function flag(json: Json, field: string, fallback: boolean): boolean {
  return typeof json[field] === 'boolean' ? (json[field] as boolean) : fallback;
}

function build(json: unknown): EncodingsProcessor {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TokenizerConfigError('post_processor', `expected an object, got ${JSON.stringify(json)}`);
  }
  const cfg = json as Json;
  switch (cfg.type) {
    case 'TemplateProcessing':
      return TemplateProcessing.fromConfig(cfg);
    case 'BertProcessing':
      return new BertProcessing(specialTokenPair(cfg, 'cls', 'BertProcessing'), specialTokenPair(cfg, 'sep', 'BertProcessing'));
    case 'RobertaProcessing':
      return new RobertaProcessing(
        specialTokenPair(cfg, 'cls', 'RobertaProcessing'),
        specialTokenPair(cfg, 'sep', 'RobertaProcessing'),
        flag(cfg, 'trim_offsets', true),
        flag(cfg, 'add_prefix_space', true),
      );
    case 'ByteLevel':
      return new ByteLevelProcessor(flag(cfg, 'trim_offsets', true), flag(cfg, 'add_prefix_space', true));
    case 'Sequence': {
      if (!Array.isArray(cfg.processors)) {
        throw new TokenizerConfigError('post_processor (Sequence)', '"processors" must be a list');
      }
      return new SequenceProcessor(cfg.processors.map(build));
    }
    default:
      throw new TokenizerConfigError('post_processor', `unsupported type ${JSON.stringify(cfg.type)}`, {
        hint: 'Supported: TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence.',
      });
  }
}

/** `null` (no post-processor in tokenizer.json) gives `null`: the tokenizer then only merges and types the sequences. */
export function postProcessorFromConfig(json: unknown): PostProcessor | null {
  return json === null || json === undefined ? null : build(json);
}
