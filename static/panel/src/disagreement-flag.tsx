/**
 * The disagreement flag: what the newest check-in says beside what the data says, with the reason. Part of
 * the panel's first script (small, no new dependency): the alignment already carries the flag, so it shows
 * with the first paint; the voices call, once it answers, gives the same flag fresher.
 */
import Lozenge, { type ThemeAppearance } from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { CheckInStatus, DestinationView, Disagreement, Forecast } from '../../../src/contract';
import { VerdictLozenge, subtle } from '../../common/components';
import { localiseDates } from '../../common/format';
import { speakerOf } from './trip-text';

const CHECK_IN_APPEARANCE: Record<CheckInStatus, ThemeAppearance> = {
  'on track': 'success',
  'at risk': 'moved',
  'off track': 'removed',
};

export const CHECK_IN_LABEL: Readonly<Record<CheckInStatus, string>> = {
  'on track': 'On track',
  'at risk': 'At risk',
  'off track': 'Off track',
};

export function CheckInLozenge({ status }: { status: CheckInStatus }) {
  return <Lozenge appearance={CHECK_IN_APPEARANCE[status]}>{CHECK_IN_LABEL[status]}</Lozenge>;
}

export function DisagreementFlag({
  disagreement,
  destination,
  forecast,
}: {
  disagreement: Disagreement;
  destination: Pick<DestinationView, 'businessOwnerName' | 'deliveryLeadName'>;
  forecast: Forecast | null;
}) {
  const side = { display: 'flex', flexDirection: 'column', gap: token('space.050') } as const;
  return (
    <div data-testid="disagreement-flag">
      <SectionMessage appearance="warning" title="What people say and what the data says disagree">
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: token('space.150'), marginBottom: token('space.100') }}>
          <div style={side}>
            <span style={subtle}>{speakerOf(disagreement, destination)} says</span>
            <span>
              <CheckInLozenge status={disagreement.says} />
            </span>
          </div>
          <div style={side}>
            <span style={subtle}>The data says</span>
            <span style={{ display: 'inline-flex', gap: token('space.075'), alignItems: 'center', flexWrap: 'wrap' }}>
              {forecast && <VerdictLozenge verdict={forecast.verdict} />}
              <span>{disagreement.chance}% chance by the target date</span>
            </span>
          </div>
        </div>
        <p>{localiseDates(disagreement.reason)}</p>
      </SectionMessage>
    </div>
  );
}
