import { gifHeader, greyJpeg, rgbPng } from '../../../test/support/images.js';
import { MAX_IMAGE_SIDE, readImageHeader } from './imageHeader.js';

describe('readImageHeader', () => {
  test('reads the size of a baseline JPEG from its frame header', () => {
    expect(readImageHeader(greyJpeg(3264, 2448))).toEqual({ mime: 'image/jpeg', width: 3264, height: 2448 });
  });

  test('skips fill bytes and segments before the frame header', () => {
    const jpeg = greyJpeg(640, 480);
    // An Exif-like APP1 segment and two fill bytes between SOI and the first segment.
    const app1 = Buffer.from([0xff, 0xff, 0xff, 0xe1, 0x00, 0x08, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00]);
    const padded = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
    expect(readImageHeader(padded)).toEqual({ mime: 'image/jpeg', width: 640, height: 480 });
  });

  test('reads the size of a PNG from its IHDR chunk', () => {
    expect(readImageHeader(rgbPng(30, 20, () => [0, 0, 0]))).toEqual({ mime: 'image/png', width: 30, height: 20 });
  });

  test('refuses other formats and text', () => {
    expect(readImageHeader(gifHeader(10, 10))).toBeNull();
    expect(readImageHeader(Buffer.from('this is not a photo'))).toBeNull();
    expect(readImageHeader(Buffer.alloc(0))).toBeNull();
  });

  test('refuses a JPEG or PNG whose header is cut short or broken', () => {
    const jpeg = greyJpeg(64, 48);
    const frameAt = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(readImageHeader(jpeg.subarray(0, frameAt + 5))).toBeNull();
    // A scan before any frame header.
    expect(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toBeNull();
    // A segment length pointing past the end.
    expect(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x7f, 0xff, 0x00]))).toBeNull();
    const png = rgbPng(4, 4, () => [0, 0, 0]);
    expect(readImageHeader(png.subarray(0, 20))).toBeNull();
    const renamed = Buffer.from(png);
    renamed.write('IHDX', 12, 'latin1');
    expect(readImageHeader(renamed)).toBeNull();
  });

  test('refuses a height left to a later DNL segment, and sizes no camera makes', () => {
    expect(readImageHeader(greyJpeg(64, 0))).toBeNull();
    expect(readImageHeader(greyJpeg(MAX_IMAGE_SIDE + 1, 8))).toBeNull();
    expect(readImageHeader(rgbPng(MAX_IMAGE_SIDE + 1, 1, () => [0, 0, 0]))).toBeNull();
  });
});
