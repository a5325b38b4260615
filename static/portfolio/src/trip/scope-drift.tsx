/** What changed in scope since the baseline, and (for an admin, the owner or the lead) a new baseline. */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type { TripHistory } from '../../../../src/contract';
import { call, toFailure, type ApiFailure } from '../../../common/api';
import { ErrorMessage, IssueLink, subtle } from '../../../common/components';
import { formatInstant, formatNumber, localiseDates } from '../../../common/format';

const signed = (n: number, digits = 1) => `${n > 0 ? '+' : ''}${formatNumber(n, digits)}`;

export function ScopeDriftSection({ history, onChange }: { history: TripHistory; onChange: (history: TripHistory) => void }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const { drift } = history;

  const baseline = async () => {
    setBusy(true);
    setFailure(null);
    try {
      onChange(await call('trip/baseline', { destinationId: history.destinationId }));
    } catch (e) {
      setFailure(toFailure(e));
    } finally {
      setBusy(false);
    }
  };

  const shift = drift?.forecastShiftDays;
  return (
    <div data-testid="scope-drift" style={{ display: 'flex', flexDirection: 'column', gap: token('space.100') }}>
      {drift ? (
        <>
          <p style={{ margin: 0 }}>Since the baseline of {formatInstant(drift.since)}:</p>
          <ul style={{ margin: 0, paddingLeft: token('space.250') }}>
            <li>
              Epics added: {drift.epicsAdded.length}
              {drift.epicsAdded.length > 0 && <> ({drift.epicsAdded.map((e, i) => <span key={e.id}>{i > 0 && ', '}<IssueLink issueKey={e.key} /></span>)})</>}
            </li>
            <li>
              Epics removed: {drift.epicsRemoved.length}
              {drift.epicsRemoved.length > 0 && <> ({drift.epicsRemoved.map((e, i) => <span key={e.id}>{i > 0 && ', '}<IssueLink issueKey={e.key} /></span>)})</>}
            </li>
            <li>Issues added: {formatNumber(drift.issuesAdded, 0)}; issues removed: {formatNumber(drift.issuesRemoved, 0)}</li>
            <li>
              Remaining work: {signed(drift.remainingChange, 0)} issues
              {drift.remainingEstimateChange !== 0 && `, ${signed(drift.remainingEstimateChange)} estimate`}
            </li>
            <li>
              Forecast:{' '}
              {shift === null || shift === undefined
                ? 'cannot compare (a forecast is missing)'
                : shift === 0
                  ? 'unchanged'
                  : `${Math.abs(shift)} ${Math.abs(shift) === 1 ? 'day' : 'days'} ${shift > 0 ? 'later' : 'earlier'}`}
            </li>
          </ul>
        </>
      ) : (
        <p style={{ ...subtle, margin: 0 }}>{history.baselineNote ? localiseDates(history.baselineNote) : 'No baseline has been taken yet.'}</p>
      )}
      {failure && <ErrorMessage failure={failure} title="No new baseline was taken" />}
      {history.canBaseline && (
        <div>
          <Button onClick={() => void baseline()} isLoading={busy}>Take new baseline</Button>
        </div>
      )}
    </div>
  );
}
