// Photos of posters: the type by magic bytes, and metadata (EXIF with GPS and the author, XMP,
// IPTC, comments, PNG text and eXIf chunks) taken out while the image itself stays byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadImage, imageTypeOf, stripImage, stripJpeg, stripPng } from '../../src/core/forum.ts';
import { AUTHOR, GPS_LATITUDE_BYTES, GPS_TEXT, jpegWithMetadata, pngWithMetadata } from '../helpers/images.ts';

const has = (b: Uint8Array, needle: string | Buffer) =>
  Buffer.from(b).includes(typeof needle === 'string' ? Buffer.from(needle, 'latin1') : needle);

test('the type comes from the first bytes', () => {
  assert.equal(imageTypeOf(jpegWithMetadata().tagged), 'image/jpeg');
  assert.equal(imageTypeOf(pngWithMetadata().tagged), 'image/png');
  assert.equal(imageTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
  assert.equal(imageTypeOf(Buffer.from('GIF89a')), null);
  assert.throws(() => stripImage(Buffer.from('%PDF-1.7')), BadImage);
});

test('canary: a JPEG with EXIF GPS, author, XMP, IPTC and a comment comes out as the plain image', () => {
  const { original, tagged } = jpegWithMetadata();
  for (const n of [AUTHOR, 'Exif', GPS_TEXT])
    assert.ok(has(tagged, n), `the tagged file carries ${n} (the check works)`);
  assert.ok(has(tagged, GPS_LATITUDE_BYTES));
  const out = stripJpeg(tagged);
  for (const n of [AUTHOR, 'Exif', 'xap/1.0', 'Photoshop', GPS_TEXT]) assert.ok(!has(out, n), `no ${n}`);
  assert.ok(!has(out, GPS_LATITUDE_BYTES), 'no GPS rationals');
  assert.deepEqual(Buffer.from(out), original, 'JFIF, the colour profile and the image data are kept byte for byte');
});

test('canary: a PNG with tEXt, iTXt and eXIf chunks comes out as the plain image', () => {
  const { original, tagged } = pngWithMetadata();
  assert.ok(has(tagged, AUTHOR));
  const out = stripPng(tagged);
  for (const n of [AUTHOR, GPS_TEXT, 'eXIf', 'tEXt']) assert.ok(!has(out, n), `no ${n}`);
  assert.ok(!has(out, GPS_LATITUDE_BYTES));
  assert.deepEqual(Buffer.from(out), original);
});

test('what a phone appends after the end of a JPEG (a motion photo, a trailer) is dropped', () => {
  const { original, tagged } = jpegWithMetadata();
  const out = stripJpeg(Buffer.concat([tagged, Buffer.from(`ftypmp42 video by ${AUTHOR}`, 'latin1')]));
  assert.deepEqual(Buffer.from(out), original);
});

test('broken files are refused with a reason', () => {
  const { tagged } = jpegWithMetadata();
  assert.throws(() => stripJpeg(tagged.subarray(0, 40)), BadImage);
  const png = pngWithMetadata().tagged;
  assert.throws(() => stripPng(png.subarray(0, png.length - 12)), /IEND|cut off/);
});
