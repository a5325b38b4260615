/** The check-ins, newest first: who said what, for which week, and the measure's value when given. */
import { token } from '@atlaskit/tokens';
import type { CheckInView, SuccessMeasure } from '../../../../src/contract';
import { STATUS_COLOR } from '../../../common/charts/colors';
import { subtle } from '../../../common/components';
import { formatDate, formatInstant, formatNumber } from '../../../common/format';
import { CHECK_IN_STATUS_LABEL, ROLE_LABEL } from '../../../common/labels';

export function CheckInTimeline({ checkIns, measure }: { checkIns: readonly CheckInView[]; measure: SuccessMeasure | null }) {
  if (checkIns.length === 0) return <p style={subtle}>Nobody has checked in yet.</p>;
  const newestFirst = checkIns.slice().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return (
    <ol data-testid="check-in-timeline" style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: token('space.150') }}>
      {newestFirst.map((c) => (
        <li key={`${c.by}-${c.at}`} style={{ display: 'grid', gridTemplateColumns: '14px minmax(0, 1fr)', gap: token('space.100') }}>
          <span aria-hidden="true" style={{ width: 10, height: 10, marginTop: 5, borderRadius: c.role === 'owner' ? 5 : 1, background: STATUS_COLOR[c.status] }} />
          <div>
            <div>
              <strong>{CHECK_IN_STATUS_LABEL[c.status]}</strong> · {c.byName} ({ROLE_LABEL[c.role].toLowerCase()})
            </div>
            <div style={subtle}>
              Week of {formatDate(c.week)} · <time dateTime={c.at}>{formatInstant(c.at)}</time>
              {measure && c.measure !== undefined && ` · ${measure.name}: ${formatNumber(c.measure, 2)}${measure.unit ? ` ${measure.unit}` : ''}`}
            </div>
            {c.note && <p style={{ margin: `${token('space.050')} 0 0`, whiteSpace: 'pre-wrap' }}>{c.note}</p>}
          </div>
        </li>
      ))}
    </ol>
  );
}
