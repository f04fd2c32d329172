/** A trie of vocabulary pieces (over UTF-16 units) answering "which pieces start at this position". */
interface TrieNode {
  /** Id of the piece that ends here, or -1. */
  id: number;
  children: Map<number, TrieNode> | null;
}

export class PieceTrie {
  private readonly root: TrieNode = { id: -1, children: null };

  /** A piece inserted twice keeps the later id, as Rust's token → id map does. */
  insert(piece: string, id: number): void {
    let node = this.root;
    for (let i = 0; i < piece.length; i++) {
      node.children ??= new Map();
      const unit = piece.charCodeAt(i);
      let child = node.children.get(unit);
      if (child === undefined) {
        child = { id: -1, children: null };
        node.children.set(unit, child);
      }
      node = child;
    }
    // The empty piece is never a match: Rust's trie reports prefixes only after consuming a byte.
    if (node !== this.root) node.id = id;
  }

  /** Calls `visit(end, id)` for each piece equal to text[start, end), shortest first. */
  forEachPrefix(text: string, start: number, visit: (end: number, id: number) => void): void {
    let node: TrieNode | undefined = this.root;
    for (let i = start; i < text.length; i++) {
      node = node.children?.get(text.charCodeAt(i));
      if (node === undefined) return;
      if (node.id !== -1) visit(i + 1, node.id);
    }
  }
}
