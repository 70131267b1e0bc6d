/**
 * One line drawing per programme, so that a claimant who reads slowly (or not at all) finds their
 * service by its picture: an hourglass for old age, a hard hat for a work accident, a heart for a
 * death, a calendar for the monthly pension. Drawn inline: the kiosk loads nothing from elsewhere.
 */
import type { Service } from '@bilik/shared/journey';

const SVG = 'http://www.w3.org/2000/svg';

/** Path data on a 24x24 grid, drawn as strokes. */
const ICON_PATHS: Record<Service, string> = {
  jht: 'M6 2h12M6 22h12M7 2v3l5 7-5 7v3M17 2v3l-5 7 5 7v3',
  jkk: 'M2 18h20M4 18v-3a8 8 0 0 1 16 0v3M10 8V5h4v3',
  jkm: 'M12 21s-8-5.5-8-11a4.5 4.5 0 0 1 8-2.8A4.5 4.5 0 0 1 20 10c0 5.5-8 11-8 11z',
  jp: 'M3 5h18v16H3zM3 10h18M8 3v4M16 3v4',
};

/** The programme's icon, decorative: its name is always written beside it. */
export function serviceIcon(doc: Document, service: Service): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'service-icon');
  const path = doc.createElementNS(SVG, 'path');
  path.setAttribute('d', ICON_PATHS[service]);
  svg.append(path);
  return svg;
}
