/**
 * The hand-written split scanners against the translated regex they stand for (the path checked against
 * the Rust goldens): identical matches over the conformance corpus, edge cases of every alternative, and
 * strings drawn at random from an alphabet of those edge cases.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onigToJsRegExp } from './onig-regex.js';
import { patternFromConfig, RegexPattern } from './pattern.js';
import { GPT2_SPLIT_REGEX, LLAMA3_SPLIT_REGEX, QWEN2_SPLIT_REGEX, ScannedPattern, scannedPatternFor } from './split-scanners.js';

const corpusPath = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/tokenizers/corpus/dev.jsonl');
const corpus = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .flatMap((line) => {
    const { text, text_pair } = JSON.parse(line) as { text: string; text_pair?: string };
    return text_pair === undefined ? [text] : [text, text_pair];
  });

const EDGE_CASES = [
  // Contractions in both cases, glued to words, doubled, and apostrophes that start none.
  "I'm we're they've he'll she'd it's don't",
  "I'M WE'RE THEY'VE HE'LL SHE'D IT'S DON'T",
  "We'Re tHey'vE 'S 'T 'Re 'LL 'Ll 'lL 'D 'M",
  "''s 'x '' ' 'r 'rE 'v 'l' 's's",
  "'",
  "rock 'n' roll's o'clock 'sorry",
  // Digit runs of one to seven, across scripts, with letters and signs around.
  '1 12 123 1234 12345 123456 1234567 a1b22c333',
  '-42 +3.14159 1,000,000 ²³ ½ Ⅻ ٣٤٥ ०१२३ 𝟏𝟐𝟑𝟒',
  // Whitespace runs before letters, numbers, signs, line breaks and at the end.
  'a  b   c    d\t\te \u3000f\u00a0g\u2003h',
  'x   ',
  '   ',
  ' ',
  'end with space ',
  '  12   !!   \u0085x',
  // Line breaks: \r\n, runs, spaces around them, after signs.
  'line1\r\nline2\n\nline3\r\r\n \n  \n\tx',
  'hi!\n\n  ok?\r\n\r\nyes...\n',
  '\n',
  '\r\n',
  ' \n',
  '\n ',
  '  \n  x',
  '. \n\n',
  // Letters of many scripts, combining marks, CJK, RTL.
  'naïve café résumé Ångström',
  'e\u0301 a\u0308\u0301b n\u0303o \u0301start',
  'Привет, мир! Γειά σου κόσμε',
  '日本語のテキスト、中文字符。한국어 텍스트',
  'مرحبا بالعالم שלום עולם',
  'हिन्दी भाषा தமிழ்',
  // Emoji, surrogate pairs, lone surrogates, ZWJ sequences, astral letters.
  'emoji 😀😃 and 👨‍👩‍👧 family 🇫🇷 flag',
  '𝐀𝐁𝐂 𝒶𝒷 𐐀𐐨 text',
  'lone \ud800 high and \udc00 low \ud83d',
  '😀a 😀 a a😀',
  // Punctuation runs, alone and before line breaks.
  '!!! ??? ... --- ((( ))) ,,, ;;; :::',
  '#include <stdio.h>\nint main() { return 0; }\n',
  'a.b,c;d:e!f?g\n!\n?\r\n...\r\n\r\n',
  ' !\n \n! x',
  '\u200b\ufeff\u200d zero width',
  '',
];

/** Strings drawn from the pieces above, so alternatives meet each other in orders no sample shows. */
function randomStrings(count: number, seed: number): string[] {
  const alphabet = ["'", 's', 'S', 're', 'LL', 'd', 'a', 'Z', 'é', 'e\u0301', '1', '22', '٣', '²', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u3000', '\u0085', '!', '...', '(', '😀', '𝐀', '𝟏', '\ud800', '日', 'ж'];
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + (next() % 24) }, () => alphabet[next() % alphabet.length]).join(''));
}

const pieces = (pattern: RegexPattern | ScannedPattern, text: string) => pattern.findMatches(text).map((m) => [m.start, m.end, m.isMatch]);

describe.each([
  ['GPT-2', GPT2_SPLIT_REGEX],
  ['Llama 3 (cl100k)', LLAMA3_SPLIT_REGEX],
  ['Qwen 2 / 3', QWEN2_SPLIT_REGEX],
])('%s split scanner', (_, regex) => {
  const scanner = scannedPatternFor(regex)!;
  const generic = new RegexPattern(onigToJsRegExp(regex, 'test'));

  it('is what tokenizer.json patterns with this exact regex get', () => {
    expect(scanner).toBeInstanceOf(ScannedPattern);
    expect(patternFromConfig({ Regex: regex }, 'test')).toBe(scanner);
    expect(patternFromConfig({ Regex: `${regex}|x` }, 'test')).toBeInstanceOf(RegexPattern);
  });

  it('cuts the conformance corpus exactly as the translated regex', () => {
    for (const text of corpus) expect(pieces(scanner, text), text).toEqual(pieces(generic, text));
  });

  it('cuts contractions, digit runs, whitespace, line breaks, scripts, marks and emoji as the translated regex', () => {
    for (const text of EDGE_CASES) expect(pieces(scanner, text), JSON.stringify(text)).toEqual(pieces(generic, text));
  });

  it('cuts random mixtures of those as the translated regex', () => {
    for (const text of randomStrings(3000, regex.length)) expect(pieces(scanner, text), JSON.stringify(text)).toEqual(pieces(generic, text));
  });
});

describe('split scanners', () => {
  it('tell the case-sensitive GPT-2 contractions from the case-insensitive cl100k ones', () => {
    const text = "HE'LL he'll";
    const cut = (regex: string) => scannedPatternFor(regex)!.findMatches(text).map((m) => text.slice(m.start, m.end));
    expect(cut(GPT2_SPLIT_REGEX)).toEqual(['HE', "'", 'LL', ' he', "'ll"]);
    expect(cut(LLAMA3_SPLIT_REGEX)).toEqual(['HE', "'LL", ' he', "'ll"]);
  });

  it('keep numbers in runs of three (Llama 3) or one (Qwen) digits, and whole (GPT-2)', () => {
    const text = '1234567';
    const cut = (regex: string) => scannedPatternFor(regex)!.findMatches(text).map((m) => text.slice(m.start, m.end));
    expect(cut(LLAMA3_SPLIT_REGEX)).toEqual(['123', '456', '7']);
    expect(cut(QWEN2_SPLIT_REGEX)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(cut(GPT2_SPLIT_REGEX)).toEqual(['1234567']);
  });
});
