/**
 * The "clean up tokenization spaces" pass: join punctuation and English contractions to the word before
 * them. Python transformers applies it after decoding when `clean_up_tokenization_spaces` is on; Rust's
 * WordPiece decoder has its own copy with `cleanup: true`, which also turns " do not" into " don't" — the one
 * difference between the two, kept so each matches its reference exactly.
 */
const PYTHON_REPLACEMENTS: readonly (readonly [string, string])[] = [
  [' .', '.'],
  [' ?', '?'],
  [' !', '!'],
  [' ,', ','],
  [" ' ", "'"],
  [" n't", "n't"],
  [" 'm", "'m"],
  [" 's", "'s"],
  [" 've", "'ve"],
  [" 're", "'re"],
];

/** Rust's `wordpiece::cleanup`, in its order. */
const RUST_WORDPIECE_REPLACEMENTS: readonly (readonly [string, string])[] = [
  ...PYTHON_REPLACEMENTS.slice(0, 7),
  [' do not', " don't"],
  ...PYTHON_REPLACEMENTS.slice(7),
];

const applyReplacements = (text: string, replacements: readonly (readonly [string, string])[]): string =>
  replacements.reduce((s, [from, to]) => s.replaceAll(from, to), text);

/** Python transformers' `clean_up_tokenization`. */
export const cleanUpTokenization = (text: string): string => applyReplacements(text, PYTHON_REPLACEMENTS);

/** The WordPiece decoder's cleanup, as Rust `tokenizers` does it. */
export const cleanUpWordPieceTokenization = (text: string): string => applyReplacements(text, RUST_WORDPIECE_REPLACEMENTS);
