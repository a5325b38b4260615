/**
 * What people say about a destination, on its portfolio row: the check-in that disagrees with the data (the
 * reason on hover and focus), a check-in that is due, open concerns, and the owner's and lead's latest status.
 * The fields are absent from older backends; then nothing is shown.
 */
import Lozenge from '@atlaskit/lozenge';
import Tooltip from '@atlaskit/tooltip';
import { token } from '@atlaskit/tokens';
import type { CheckInSummary, DestinationRollup } from '../../../src/contract';
import { STATUS_COLOR } from '../../common/charts/colors';
import { subtle } from '../../common/components';
import { localiseDates } from '../../common/format';
import { CHECK_IN_STATUS_LABEL } from '../../common/labels';

/** Read by screen readers, not drawn (the tooltip shows it on hover and focus). */
const visuallyHidden = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

export function RowFlags({ destination }: { destination: DestinationRollup }) {
  const { disagreement, checkIns, openConcerns } = destination;
  const latest = checkIns ? latestOf(checkIns) : [];
  if (!disagreement && !checkIns?.due && !openConcerns && latest.length === 0) return null;
  return (
    <div data-testid="row-flags" style={{ display: 'flex', gap: token('space.075'), flexWrap: 'wrap', alignItems: 'center', marginTop: token('space.050') }}>
      {disagreement && (
        <Tooltip content={localiseDates(disagreement.reason)} position="top">
          {(props) => (
            <span {...props} tabIndex={0} title={localiseDates(disagreement.reason)} data-testid="flag-disagreement" style={{ cursor: 'help' }}>
              <Lozenge appearance="moved">Check-in disagrees</Lozenge>
              <span style={visuallyHidden}>{`: ${localiseDates(disagreement.reason)}`}</span>
            </span>
          )}
        </Tooltip>
      )}
      {checkIns?.due && (
        <span data-testid="flag-due">
          <Lozenge appearance="new">Check-in due</Lozenge>
        </span>
      )}
      {!!openConcerns && (
        <span data-testid="flag-concerns">
          <Lozenge appearance="inprogress">{`${openConcerns} open ${openConcerns === 1 ? 'concern' : 'concerns'}`}</Lozenge>
        </span>
      )}
      {latest.map(({ who, status }) => (
        <span key={who} style={{ ...subtle, display: 'inline-flex', alignItems: 'center', gap: token('space.050') }}>
          <span aria-hidden="true" style={{ width: 8, height: 8, borderRadius: 4, background: STATUS_COLOR[status] }} />
          {`${who}: ${CHECK_IN_STATUS_LABEL[status]}`}
        </span>
      ))}
    </div>
  );
}

function latestOf(summary: CheckInSummary) {
  return ([['Owner', summary.owner], ['Lead', summary.lead]] as const)
    .filter((e): e is readonly ['Owner' | 'Lead', NonNullable<CheckInSummary['owner']>] => e[1] !== null)
    .map(([who, c]) => ({ who, status: c.status }));
}
