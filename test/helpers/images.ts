// Photos with personal metadata, made byte by byte for the canary tests of the youth forum's
// uploads: EXIF (camera owner, author, GPS position), XMP, IPTC and a comment in a JPEG; text
// chunks and eXIf in a PNG.
import { readFileSync } from 'node:fs';

export const AUTHOR = 'Lena Kanarienvogel';
/** 52° 31' 12.34" N, 13° 24' 56.78" E as EXIF rationals, and the printed form some tools add. */
export const GPS_TEXT = '52 deg 31\' 12.34" N';

const u16 = (n: number) => [(n >> 8) & 255, n & 255];
const u32 = (n: number) => [(n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];

/** A big-endian TIFF block: IFD0 with Artist and a GPS IFD pointer; the GPS IFD with latitude and longitude. */
export function exifTiff(): number[] {
  const artist = ascii(AUTHOR + '\0');
  // Layout: header (8) | IFD0: 2 entries (2 + 24 + 4 = 30) | GPS IFD: 4 entries (2 + 48 + 4 = 54) | artist | lat rationals (24) | lon rationals (24)
  const ifd0 = 8,
    gps = ifd0 + 30,
    artistAt = gps + 54,
    latAt = artistAt + artist.length,
    lonAt = latAt + 24;
  const entry = (tag: number, type: number, count: number, value: number[]) => [
    ...u16(tag),
    ...u16(type),
    ...u32(count),
    ...value,
  ];
  const out = [
    ...ascii('MM'),
    ...u16(42),
    ...u32(ifd0),
    ...u16(2),
    ...entry(0x013b, 2, artist.length, u32(artistAt)),
    ...entry(0x8825, 4, 1, u32(gps)),
    ...u32(0),
    ...u16(4),
    ...entry(0x0001, 2, 2, [...ascii('N\0'), 0, 0]),
    ...entry(0x0002, 5, 3, u32(latAt)),
    ...entry(0x0003, 2, 2, [...ascii('E\0'), 0, 0]),
    ...entry(0x0004, 5, 3, u32(lonAt)),
    ...u32(0),
    ...artist,
    ...u32(52),
    ...u32(1),
    ...u32(31),
    ...u32(1),
    ...u32(1234),
    ...u32(100),
    ...u32(13),
    ...u32(1),
    ...u32(24),
    ...u32(1),
    ...u32(5678),
    ...u32(100),
  ];
  return out;
}

/** The GPS latitude as it sits in the EXIF block (three rationals). */
export const GPS_LATITUDE_BYTES = Buffer.from([
  ...u32(52),
  ...u32(1),
  ...u32(31),
  ...u32(1),
  ...u32(1234),
  ...u32(100),
]);

const segment = (marker: number, payload: number[]) => [0xff, marker, ...u16(payload.length + 2), ...payload];

/** The fixture JPEG with EXIF, XMP, IPTC (Photoshop APP13) and a comment inserted after SOI. */
export function jpegWithMetadata(): { original: Buffer; tagged: Buffer } {
  const original = readFileSync(new URL('../fixtures/forum/poster.jpg', import.meta.url));
  const exif = segment(0xe1, [...ascii('Exif\0\0'), ...exifTiff()]);
  const xmp = segment(
    0xe1,
    ascii(
      `http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><dc:creator>${AUTHOR}</dc:creator><exif:GPSLatitude>${GPS_TEXT}</exif:GPSLatitude></x:xmpmeta>`,
    ),
  );
  const iptc = segment(0xed, [
    ...ascii('Photoshop 3.0\0'),
    ...ascii('8BIM'),
    0x04,
    0x04,
    0,
    0,
    ...u32(4 + AUTHOR.length + 1),
    0x1c,
    0x02,
    0x50,
    ...u16(AUTHOR.length),
    ...ascii(AUTHOR),
    0,
  ]);
  const com = segment(0xfe, ascii(`Foto: ${AUTHOR}`));
  const tagged = Buffer.from([...original.subarray(0, 2), ...exif, ...xmp, ...iptc, ...com, ...original.subarray(2)]);
  return { original, tagged };
}

function crc32(bytes: number[]): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

const chunk = (type: string, data: number[]) => [
  ...u32(data.length),
  ...ascii(type),
  ...data,
  ...u32(crc32([...ascii(type), ...data])),
];

/** The fixture PNG with tEXt (Author), iTXt (a GPS note) and eXIf chunks inserted after IHDR. */
export function pngWithMetadata(): { original: Buffer; tagged: Buffer } {
  const original = readFileSync(new URL('../fixtures/forum/poster.png', import.meta.url));
  const ihdrEnd = 8 + 12 + 13;
  const extra = [
    ...chunk('tEXt', ascii(`Author\0${AUTHOR}`)),
    ...chunk('iTXt', ascii(`GPS\0\0\0\0\0${GPS_TEXT}`)),
    ...chunk('eXIf', exifTiff()),
  ];
  const tagged = Buffer.from([...original.subarray(0, ihdrEnd), ...extra, ...original.subarray(ihdrEnd)]);
  return { original, tagged };
}
