/**
 * An append-only text accumulator: `append` is O(1) (no copy of the text so far); the joined
 * string is built lazily, once per read after appends.
 *
 * @packageDocumentation
 */

/** Append-only text with a lazily joined value. */
export class TextBuffer {
  private parts: string[] = [];
  private joined: string;

  /** @param initial - starting text */
  constructor(initial = "") {
    this.joined = initial;
  }

  /** Appends a piece of text (O(1)). */
  append(text: string): void {
    if (text.length > 0) this.parts.push(text);
  }

  /** True when appends happened since the last read of {@link value}. */
  get pending(): boolean {
    return this.parts.length > 0;
  }

  /** The whole text. */
  get value(): string {
    if (this.parts.length > 0) {
      this.joined += this.parts.length === 1 ? this.parts[0] : this.parts.join("");
      this.parts = [];
    }
    return this.joined;
  }
}
