/**
 * A bounded word → result cache for the models' hot path. Words repeat heavily in text, so even a
 * simple policy pays: when full, the cache is emptied and refills with the words now in use.
 */
export const DEFAULT_WORD_CACHE_CAPACITY = 10_000;

export class WordCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity = DEFAULT_WORD_CACHE_CAPACITY) {}

  get(word: string): V | undefined {
    return this.entries.get(word);
  }

  set(word: string, value: V): void {
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(word, value);
  }
}
