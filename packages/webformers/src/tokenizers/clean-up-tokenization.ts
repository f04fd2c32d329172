/**
 * Python transformers' `clean_up_tokenization`: after decoding, join punctuation and English
 * contractions to the word before them. Applied on top of the Rust decode when
 * `clean_up_tokenization_spaces` is on, exactly as Python's fast tokenizers do.
 */
const REPLACEMENTS: [string, string][] = [
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

export function cleanUpTokenization(text: string): string {
  return REPLACEMENTS.reduce((s, [from, to]) => s.split(from).join(to), text);
}
