/**
 * Recognises the two photo formats the kiosk may upload by their bytes, not by what the uploader
 * says, and reads the picture's size from the header (JPEG's SOF segment, PNG's IHDR chunk). No
 * pixel is decoded: a file whose header cannot be read is refused, never guessed at.
 */

export type PhotoMime = 'image/jpeg' | 'image/png';

export interface ImageHeader {
  mime: PhotoMime;
  width: number;
  height: number;
}

/**
 * Larger than any camera's still (a 108-megapixel sensor is 12000 × 9000); a header claiming more
 * is either broken or meant to make the officer's browser allocate a huge bitmap.
 */
export const MAX_IMAGE_SIDE = 16_384;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** JPEG or PNG by the file's first bytes (its magic number), or null for anything else. */
export function photoMimeOf(bytes: Buffer): PhotoMime | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
  return null;
}

/** The format and size of a JPEG or PNG image, or null when `bytes` is neither or its header cannot be read. */
export function readImageHeader(bytes: Buffer): ImageHeader | null {
  switch (photoMimeOf(bytes)) {
    case 'image/jpeg':
      return withSize('image/jpeg', jpegSize(bytes));
    case 'image/png':
      return withSize('image/png', pngSize(bytes));
    case null:
      return null;
  }
}

function withSize(mime: PhotoMime, size: { width: number; height: number } | null): ImageHeader | null {
  if (size === null) return null;
  const { width, height } = size;
  if (width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return null;
  return { mime, width, height };
}

/** IHDR must be the first chunk: length 13, then width and height as 32-bit big-endian numbers. */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const ihdr = PNG_SIGNATURE.length;
  if (bytes.length < ihdr + 16) return null;
  if (bytes.readUInt32BE(ihdr) !== 13 || bytes.toString('latin1', ihdr + 4, ihdr + 8) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(ihdr + 8), height: bytes.readUInt32BE(ihdr + 12) };
}

/**
 * Walks the segments after SOI up to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC),
 * which holds precision, height and width. Reaching the scan or the end first means there is no
 * readable frame header.
 */
function jpegSize(bytes: Buffer): { width: number; height: number } | null {
  let offset = 2;
  while (offset < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    // Any number of 0xFF fill bytes may precede a marker.
    while (bytes[offset] === 0xff) offset += 1;
    if (offset >= bytes.length) return null;
    const marker = bytes[offset]!;
    offset += 1;
    // Markers that stand alone, without a length: TEM and RST0–RST7.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    // SOI again, EOI, or the start of scan before any frame header.
    if (marker === 0xd8 || marker === 0xd9 || marker === 0xda) return null;
    if (offset + 2 > bytes.length) return null;
    const length = bytes.readUInt16BE(offset);
    if (length < 2 || offset + length > bytes.length) return null;
    if (isStartOfFrame(marker)) {
      // Length (2), precision (1), height (2), width (2). A height of 0 is defined later by a DNL segment: not readable here.
      if (length < 7) return null;
      return { height: bytes.readUInt16BE(offset + 3), width: bytes.readUInt16BE(offset + 5) };
    }
    offset += length;
  }
  return null;
}

function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}
