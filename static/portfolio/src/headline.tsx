/** The portfolio's headline: destinations by verdict, and the off-route share of work in flight. */
import { useMemo, type CSSProperties, type ReactNode } from 'react';
import { token } from '@atlaskit/tokens';
import { VERDICTS, type DestinationRollup, type Portfolio, type Verdict } from '../../../src/contract';
import { JqlLink, VerdictLozenge, subtle } from '../../common/components';
import { formatNumber, formatPercent } from '../../common/format';
import { unionJql } from './portfolio-unions';

export function Headline({ portfolio }: { portfolio: Portfolio }) {
  const { destinations, jql } = portfolio;
  const byVerdict = useMemo(() => {
    const m = new Map<Verdict, DestinationRollup[]>(VERDICTS.map((v) => [v, []]));
    for (const d of destinations) m.get(d.verdict)?.push(d);
    return m;
  }, [destinations]);

  return (
    <section aria-label="Headline" style={{ display: 'flex', gap: token('space.200'), flexWrap: 'wrap' }}>
      {VERDICTS.map((v) => {
        const ds = byVerdict.get(v) ?? [];
        return (
          <Tile key={v} label={<VerdictLozenge verdict={v} />}>
            <JqlLink jql={ds.length ? unionJql(ds.map((d) => jql.byDestination[d.id])) : undefined} label={`Work of the ${ds.length} destinations ${v}`}>
              {ds.length}
            </JqlLink>
          </Tile>
        );
      })}
      <OffRouteTile portfolio={portfolio} />
    </section>
  );
}

const tileStyle = (minWidth: number): CSSProperties => ({
  padding: token('space.150'),
  borderRadius: token('radius.medium'),
  background: token('elevation.surface.sunken'),
  minWidth,
  display: 'flex',
  flexDirection: 'column',
  gap: token('space.050'),
});

function Tile({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div style={tileStyle(110)}>
      <div>{label}</div>
      <div style={{ font: token('font.heading.large') }}>{children}</div>
    </div>
  );
}

function OffRouteTile({ portfolio }: { portfolio: Portfolio }) {
  const { offRoute, jql } = portfolio;
  return (
    <div style={tileStyle(260)}>
      <div style={{ font: token('font.body.small'), color: token('color.text.subtle') }}>Off-route share of work in flight</div>
      <div style={{ font: token('font.heading.large') }}>
        <JqlLink jql={jql.offRoute} label="Off-route issues in flight">{formatPercent(offRoute.count.share)}</JqlLink>
      </div>
      <div style={subtle}>
        <JqlLink jql={jql.offRoute}>{formatNumber(offRoute.count.offRoute, 0)}</JqlLink> of{' '}
        <JqlLink jql={jql.inFlight}>{formatNumber(offRoute.count.inFlight, 0)}</JqlLink> issues ·{' '}
        {formatPercent(offRoute.estimate.share)} by estimate (<JqlLink jql={jql.offRoute}>{formatNumber(offRoute.estimate.offRoute)}</JqlLink> of{' '}
        <JqlLink jql={jql.inFlight}>{formatNumber(offRoute.estimate.inFlight)}</JqlLink>)
      </div>
    </div>
  );
}
