/**
 * A kiosk's call link graded good, fair or poor from the round trip and packet loss its WebRTC
 * statistics report, so branch IT sees at a glance which booth's call suffers; the numbers stay
 * on the page beside the grade.
 */
import type { LinkQuality } from '@bilik/shared/fleet';

/** How a link is graded, best first. */
export const LINK_GRADES = ['good', 'fair', 'poor'] as const;
export type LinkGrade = (typeof LINK_GRADES)[number];

/**
 * Round trips under 150 ms keep a conversation natural (ITU-T G.114's one-way 150 ms budget is
 * met with room to spare); from 300 ms people talk over each other.
 */
export const RTT_FAIR_MS = 150;
export const RTT_POOR_MS = 300;
/** Opus and video recover from about 1% loss unnoticed; past 5% speech breaks up and pictures freeze. */
export const LOSS_FAIR_PERCENT = 1;
export const LOSS_POOR_PERCENT = 5;

/** The grade of a link: the worse of its round trip and its loss; null when neither is measured. */
export function linkGrade(link: Pick<LinkQuality, 'rttMs' | 'packetLossPercent'>): LinkGrade | null {
  const grades: LinkGrade[] = [];
  if (link.rttMs !== null) grades.push(gradeOf(link.rttMs, RTT_FAIR_MS, RTT_POOR_MS));
  if (link.packetLossPercent !== null) grades.push(gradeOf(link.packetLossPercent, LOSS_FAIR_PERCENT, LOSS_POOR_PERCENT));
  if (grades.length === 0) return null;
  return LINK_GRADES[Math.max(...grades.map((grade) => LINK_GRADES.indexOf(grade)))] ?? null;
}

function gradeOf(value: number, fairFrom: number, poorFrom: number): LinkGrade {
  if (value >= poorFrom) return 'poor';
  if (value >= fairFrom) return 'fair';
  return 'good';
}
