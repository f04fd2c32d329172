/**
 * TemplateProcessing: special tokens and sequences laid out by a template such as
 * `[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1` (string form) or the JSON piece list tokenizer.json stores.
 * A special token may stand for several ids. Overflowing windows get the template through the merge,
 * exactly as in Rust (only the main encoding of a sequence is retyped there).
 */
import { specialTokensEncoding, withSequenceId, withTypeIds } from '../encoding.js';
import { TokenizerConfigError, type EncodingData, type Json } from '../types.js';
import { EncodingsProcessor } from './encodings-processor.js';

export type TemplatePiece =
  | { kind: 'sequence'; sequence: 0 | 1; typeId: number }
  | { kind: 'special'; id: string; typeId: number };

export interface TemplateSpecialToken {
  ids: number[];
  tokens: string[];
}

const COMPONENT = 'post_processor (TemplateProcessing)';

function fail(message: string): never {
  throw new TokenizerConfigError(COMPONENT, message);
}

/** One piece of the string form: `$A`, `$B`, `$`, `$<type id>`, `[CLS]`, each optionally `:<type id>`. */
function parsePieceString(s: string): TemplatePiece {
  const parts = s.split(':');
  if (parts.length > 2) fail(`cannot read template piece "${s}"`);
  const [name, typeText] = parts;
  let typeId = 0;
  if (typeText !== undefined) {
    if (!/^\d+$/.test(typeText)) fail(`cannot read template piece "${s}"`);
    typeId = Number(typeText);
  }
  if (!name.startsWith('$')) return { kind: 'special', id: name, typeId };
  const rest = name.slice(1);
  if (rest === '' || rest === 'A' || rest === 'a') return { kind: 'sequence', sequence: 0, typeId };
  if (rest === 'B' || rest === 'b') return { kind: 'sequence', sequence: 1, typeId };
  // `$1` means sequence A with type id 1, and a later `:n` overrides it (Rust's parse order).
  if (/^\d+$/.test(rest)) return { kind: 'sequence', sequence: 0, typeId: typeText === undefined ? Number(rest) : typeId };
  return fail(`cannot read template piece "${s}"`);
}

function parsePieceJson(p: unknown): TemplatePiece {
  const obj = (p ?? {}) as Json;
  const seq = obj.Sequence as Json | undefined;
  const special = obj.SpecialToken as Json | undefined;
  if (seq && (seq.id === 'A' || seq.id === 'B') && Number.isInteger(seq.type_id)) {
    return { kind: 'sequence', sequence: seq.id === 'A' ? 0 : 1, typeId: seq.type_id as number };
  }
  if (special && typeof special.id === 'string' && Number.isInteger(special.type_id)) {
    return { kind: 'special', id: special.id, typeId: special.type_id as number };
  }
  return fail(`malformed template piece ${JSON.stringify(p)}`);
}

export function parseTemplate(value: unknown, which: string): TemplatePiece[] {
  if (typeof value === 'string') return value.split(' ').map(parsePieceString);
  if (!Array.isArray(value)) fail(`"${which}" must be a template string or a list of pieces`);
  return value.map((p) => (typeof p === 'string' ? parsePieceString(p) : parsePieceJson(p)));
}

function parseSpecialTokens(value: unknown): Map<string, TemplateSpecialToken> {
  const map = new Map<string, TemplateSpecialToken>();
  if (value === undefined || value === null) return map;
  if (typeof value !== 'object') fail('"special_tokens" must be an object');
  for (const [key, raw] of Object.entries(value as Json)) {
    const t = raw as Json;
    const ids = t?.ids;
    const tokens = t?.tokens;
    if (!Array.isArray(ids) || !Array.isArray(tokens) || !ids.every(Number.isInteger) || !tokens.every((x) => typeof x === 'string')) {
      fail(`special token "${key}" needs "ids" (integers) and "tokens" (strings)`);
    }
    if (ids.length !== tokens.length) fail(`special token "${key}" has ${ids.length} ids but ${tokens.length} tokens`);
    map.set(typeof t.id === 'string' ? t.id : key, { ids: ids as number[], tokens: tokens as string[] });
  }
  return map;
}

type SpecialPiece = Extract<TemplatePiece, { kind: 'special' }>;

export class TemplateProcessing extends EncodingsProcessor {
  private readonly addedSingle: number;
  private readonly addedPair: number;
  /** Each special piece's encoding, made on first use: encodings are never modified, so every call shares it. */
  private readonly specialEncodings = new Map<SpecialPiece, EncodingData>();

  constructor(
    private readonly single: TemplatePiece[],
    private readonly pair: TemplatePiece[],
    private readonly specialTokens: Map<string, TemplateSpecialToken>,
  ) {
    super();
    const sequences = new Set(pair.filter((p) => p.kind === 'sequence').map((p) => (p as { sequence: number }).sequence));
    if (!(sequences.has(0) && sequences.has(1))) fail('the "pair" template must use both sequences ($A and $B)');
    const missing = new Set([...single, ...pair].flatMap((p) => (p.kind === 'special' && !specialTokens.has(p.id) ? [p.id] : [])));
    if (missing.size > 0) fail(`special tokens used by the template are missing from "special_tokens": ${[...missing].join(', ')}`);
    this.addedSingle = this.countAdded(single);
    this.addedPair = this.countAdded(pair);
  }

  static fromConfig(json: Json): TemplateProcessing {
    return new TemplateProcessing(
      parseTemplate(json.single ?? '$0', 'single'),
      parseTemplate(json.pair ?? '$1', 'pair'),
      parseSpecialTokens(json.special_tokens),
    );
  }

  private countAdded(template: TemplatePiece[]): number {
    return template.reduce((n, p) => n + (p.kind === 'special' ? (this.specialTokens.get(p.id)?.ids.length ?? 0) : 0), 0);
  }

  addedTokens(isPair: boolean): number {
    return isPair ? this.addedPair : this.addedSingle;
  }

  processEncodings(encodings: EncodingData[], addSpecialTokens: boolean): EncodingData[] {
    const template = encodings.length === 2 ? this.pair : this.single;
    const out: EncodingData[] = [];
    for (const piece of template) {
      if (piece.kind === 'sequence') {
        const e = encodings[piece.sequence];
        if (!e) continue;
        out.push(withSequenceId(withTypeIds(e, piece.typeId), piece.sequence));
      } else if (addSpecialTokens) {
        out.push(this.specialEncoding(piece));
      }
    }
    return out;
  }

  private specialEncoding(piece: SpecialPiece): EncodingData {
    let encoding = this.specialEncodings.get(piece);
    if (encoding === undefined) {
      const tok = this.specialTokens.get(piece.id) as TemplateSpecialToken;
      encoding = specialTokensEncoding(tok.ids, tok.tokens, piece.typeId);
      this.specialEncodings.set(piece, encoding);
    }
    return encoding;
  }
}
