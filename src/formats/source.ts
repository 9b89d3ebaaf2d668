// What a reader reads: a file on disk, or the bytes of an upload held in memory — personal
// records (address matching) are never written to a temporary file.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

export interface InMemoryFile {
  /** The name the upload was given; its extension tells the format. */
  name: string;
  bytes: Buffer;
}

export type FileSource = string | InMemoryFile;

export function sourceName(s: FileSource): string {
  return typeof s === 'string' ? s : s.name;
}

/** The size in bytes; throws the file system's error for a path (ENOENT, EISDIR …). */
export async function sourceSize(s: FileSource): Promise<{ size: number; isFile: boolean }> {
  if (typeof s !== 'string') return { size: s.bytes.length, isFile: true };
  const st = await stat(s);
  return { size: st.size, isFile: st.isFile() };
}

/** The first n bytes (fewer when the file is shorter). */
export async function readSourceHead(s: FileSource, n: number): Promise<Buffer> {
  if (typeof s !== 'string') return s.bytes.subarray(0, n);
  const fh = await open(s, 'r');
  try {
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await fh.read(buf, got, n - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/** The bytes as a stream of chunks of at most chunkBytes. */
export function sourceStream(s: FileSource, chunkBytes: number): Readable {
  if (typeof s === 'string') return createReadStream(s, { highWaterMark: chunkBytes });
  const { bytes } = s;
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
    })(),
    { objectMode: false },
  );
}
