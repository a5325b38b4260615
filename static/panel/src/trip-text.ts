/**
 * What the panel's trip says in words, kept apart from the components so it can be tested without a
 * browser: the burn-up's check-in markers, who disagrees, and the concern counter. (The burn-up's words are the shared chart's:
 * static/common/charts/summaries.ts.)
 */
import { MAX_CONCERN_TEXT, type CheckInView, type DestinationView, type Disagreement, type EpicVoices } from '../../../src/contract';
import { formatNumber } from '../../common/format';

/** The burn-up's markers: the latest check-in of each role (the panel is told no older ones), oldest first. */
export function checkInMarkers(voices: Pick<EpicVoices, 'latest'> | null): CheckInView[] {
  if (!voices) return [];
  return [voices.latest.owner, voices.latest.lead].filter((c): c is CheckInView => c !== null).sort((a, b) => a.at.localeCompare(b.at));
}

/** Who said what the flag compares, by name where the destination names them. */
export function speakerOf(disagreement: Pick<Disagreement, 'role'>, destination: Pick<DestinationView, 'businessOwnerName' | 'deliveryLeadName'>): string {
  if (disagreement.role === 'owner') return `${destination.businessOwnerName} (business owner)`;
  return destination.deliveryLeadName ? `${destination.deliveryLeadName} (delivery lead)` : 'The delivery lead';
}

/** The concern form's counter. The backend trims the text before it counts it, so the counter does too. */
export function concernCount(text: string): { length: number; over: boolean; label: string } {
  const length = text.trim().length;
  const extra = length - MAX_CONCERN_TEXT;
  const max = formatNumber(MAX_CONCERN_TEXT, 0);
  if (extra > 0) return { length, over: true, label: `${formatNumber(extra, 0)} ${extra === 1 ? 'character' : 'characters'} too many (at most ${max})` };
  return { length, over: false, label: `${formatNumber(length, 0)} of ${max} characters` };
}
