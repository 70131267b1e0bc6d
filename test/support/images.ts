/**
 * Real, decodable photos built byte by byte, so tests upload genuine JPEG and PNG files without
 * an image library: a flat grey baseline JPEG, and a PNG of a picture the test chooses.
 */
import { crc32, deflateSync } from 'node:zlib';

/**
 * A mid-grey baseline JPEG of `width` × `height`: one grey component, one quantisation table,
 * and Huffman tables of a single one-bit code each, so every 8×8 block is two zero bits
 * ("DC unchanged", "end of block").
 */
export function greyJpeg(width: number, height: number): Buffer {
  const segment = (marker: number, body: number[]): number[] => [0xff, marker, ...u16(body.length + 2), ...body];
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  // Two bits per block, padded with ones to a whole byte as the standard asks.
  const bits = '00'.repeat(blocks).padEnd(Math.ceil((blocks * 2) / 8) * 8, '1');
  const scan: number[] = [];
  for (let index = 0; index < bits.length; index += 8) scan.push(parseInt(bits.slice(index, index + 8), 2));
  const oneCodeOfLengthOne = [1, ...new Array<number>(15).fill(0), 0x00];
  return Buffer.from([
    0xff,
    0xd8,
    ...segment(0xe0, [...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    // Baseline frame: 8-bit precision, height, width, one component (id 1, no subsampling, table 0).
    ...segment(0xc0, [8, ...u16(height), ...u16(width), 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...oneCodeOfLengthOne]),
    ...segment(0xc4, [0x10, ...oneCodeOfLengthOne]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...scan,
    0xff,
    0xd9,
  ]);
}

/** An RGB PNG of `width` × `height` whose pixel at (x, y) is `colour(x, y)`. */
export function rgbPng(width: number, height: number, colour: (x: number, y: number) => [number, number, number]): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const start = y * (width * 3 + 1);
    // Filter type 0 (none) for every row.
    rows[start] = 0;
    for (let x = 0; x < width; x += 1) rows.set(colour(x, y), start + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter choice, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A GIF's first bytes: a format the server must refuse whatever the upload claims. */
export function gifHeader(width: number, height: number): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt16LE(width, 0);
  size.writeUInt16LE(height, 2);
  return Buffer.concat([Buffer.from('GIF89a', 'latin1'), size, Buffer.from([0x00, 0x00, 0x00]), Buffer.from([0x3b])]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, checksum]);
}

function u16(value: number): [number, number] {
  return [(value >> 8) & 0xff, value & 0xff];
}
