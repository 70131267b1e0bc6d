/**
 * Draws a QR code as an inline SVG: one path of dark modules on a light square, with the quiet
 * zone phone cameras need. Built from DOM nodes (no markup strings), so the kiosk's content
 * security policy, which allows no inline style, has nothing to object to.
 */
import { encode } from 'uqr';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The standard quiet zone, in modules. */
const QUIET_ZONE = 4;

/** Replaces what `svg` shows with the QR code of `text` (error correction M: survives a smudged screen). */
export function drawQrCode(svg: SVGSVGElement, text: string): void {
  const { data, size } = encode(text, { ecc: 'M', border: QUIET_ZONE });
  let path = '';
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  const doc = svg.ownerDocument;
  const background = doc.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#ffffff');
  const modules = doc.createElementNS(SVG_NS, 'path');
  modules.setAttribute('d', path);
  modules.setAttribute('fill', '#000000');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  // Crisp module edges at any scale: a blurred edge makes the code harder to read.
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.replaceChildren(background, modules);
}
