// Zip archives (XLSX workbooks, zipped Shapefiles) read through yauzl's central directory, with the
// CRC-32 of every entry verified as it is read: a damaged archive whose deflate stream still
// decodes (a flipped byte in a stored entry, or a tampered one) is rejected instead of imported.
import type { FileSource } from './source.ts';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';

/** A damaged archive: the bytes of an entry do not match the CRC-32 recorded for it. */
export class ZipIntegrityError extends Error {
  readonly problemCode = 'zip-crc-mismatch';
  constructor(
    readonly entry: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `the archive entry "${entry}" is damaged: its CRC-32 is ${hex(actual)}, the archive records ${hex(expected)}`,
    );
    this.name = 'ZipIntegrityError';
  }
}

/** The archive's structure is broken (not a zip, truncated, bad sizes). */
export class ZipFormatError extends Error {}

const hex = (n: number) => n.toString(16).padStart(8, '0');

// Node 20.15+ has zlib.crc32 (native); older versions get the table-driven one.
const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let table: Uint32Array | null = null;
function tableCrc32(data: Uint8Array, value = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
const crc32: (data: Uint8Array, value?: number) => number = nativeCrc32 ?? tableCrc32;

export type ZipEntry = yauzl.Entry;

export function openZip(source: FileSource): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip: yauzl.ZipFile) => {
      if (err) reject(isNodeError(err) ? err : new ZipFormatError(`not a zip archive (${err.message})`));
      else resolve(zip);
    };
    const options = { lazyEntries: true, autoClose: false, validateEntrySizes: true };
    if (typeof source === 'string') yauzl.open(source, options, done);
    else yauzl.fromBuffer(source.bytes, options, done);
  });
}

function isNodeError(err: Error): boolean {
  return 'code' in err && typeof (err as NodeJS.ErrnoException).code === 'string';
}

/** Every entry of the archive by name (as stored). */
export function listEntries(zip: yauzl.ZipFile): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: ZipEntry[] = [];
    zip.on('entry', (entry: ZipEntry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', (e: Error) => reject(new ZipFormatError(e.message)));
    zip.readEntry();
  });
}

/** The uncompressed bytes of an entry as a stream that fails with ZipIntegrityError at its end if the CRC-32 does not match. */
export function openEntry(zip: yauzl.ZipFile, entry: ZipEntry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) {
        reject(new ZipFormatError(err.message));
        return;
      }
      const check = new CrcCheck(entry);
      stream.on('error', (e) =>
        check.destroy(isNodeError(e) ? e : new ZipFormatError(`entry "${entry.fileName}": ${e.message}`)),
      );
      check.on('close', () => stream.destroy());
      resolve(stream.pipe(check));
    });
  });
}

/** All bytes of an entry, CRC-32 verified. */
async function readEntry(zip: yauzl.ZipFile, entry: ZipEntry): Promise<Buffer> {
  const stream = await openEntry(zip, entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Reads the entries chosen by `wanted` from an archive file; names of all file entries are listed too. */
export async function readZipFile(
  path: string,
  wanted: (name: string) => boolean,
): Promise<{ entries: Map<string, Buffer>; names: string[] }> {
  const zip = await openZip(path);
  try {
    const all = await listEntries(zip);
    const entries = new Map<string, Buffer>();
    const names: string[] = [];
    for (const e of all) {
      if (e.fileName.endsWith('/')) continue;
      names.push(e.fileName);
      if (wanted(e.fileName)) entries.set(e.fileName, await readEntry(zip, e));
    }
    return { entries, names };
  } finally {
    zip.close();
  }
}

class CrcCheck extends Transform {
  private crc = 0;
  constructor(private readonly entry: ZipEntry) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    const expected = this.entry.crc32 >>> 0;
    if (this.crc >>> 0 !== expected) callback(new ZipIntegrityError(this.entry.fileName, expected, this.crc >>> 0));
    else callback();
  }
}
