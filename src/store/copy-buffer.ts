// COPY text (PostgreSQL's tab-separated text format) written straight into bytes: a large import
// encodes millions of fields, and building a string per row and field was most of its garbage
// (a third of its JavaScript time went to collecting it; decision 0009).
import { copyField } from './db.ts';

const TAB = 9;
const NEWLINE = 10;
const NULL_FIELD = Buffer.from('\\N');

export class CopyBuffer {
  private buf: Buffer;
  private pos = 0;

  constructor(capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written (a view; the buffer is not reused). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** A whole number in decimal digits. */
  int(n: number): this {
    if (!Number.isSafeInteger(n)) return this.ascii(String(n));
    this.room(17);
    const b = this.buf;
    if (n < 0) {
      b[this.pos++] = 45; // '-'
      n = -n;
    }
    if (n < 10) {
      b[this.pos++] = 48 + n;
      return this;
    }
    let digits = 0;
    for (let m = n; m > 0; m = Math.floor(m / 10)) digits++;
    let end = this.pos + digits;
    this.pos = end;
    while (n > 0) {
      const q = Math.floor(n / 10);
      b[--end] = 48 + (n - q * 10);
      n = q;
    }
    return this;
  }

  /** A number as PostgreSQL reads it back exactly (JavaScript's shortest round-trip form). */
  number(n: number): this {
    return Number.isInteger(n) && Math.abs(n) < 1e15 ? this.int(n) : this.ascii(String(n));
  }

  /** Text known to be ASCII without tab, newline or backslash (keys, numbers, statuses). */
  ascii(s: string): this {
    this.room(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
    return this;
  }

  /** Any text, escaped for COPY. */
  text(s: string): this {
    const escaped = copyField(s);
    this.room(Buffer.byteLength(escaped));
    this.pos += this.buf.write(escaped, this.pos, 'utf8');
    return this;
  }

  null(): this {
    this.room(2);
    this.pos += NULL_FIELD.copy(this.buf, this.pos);
    return this;
  }

  tab(): this {
    this.room(1);
    this.buf[this.pos++] = TAB;
    return this;
  }

  newline(): this {
    this.room(1);
    this.buf[this.pos++] = NEWLINE;
    return this;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
