/** The portfolio's headline: destinations by verdict, and the off-route share of work in flight. */
import { useState, type CSSProperties, type ReactNode } from 'react';
import { router } from '@forge/bridge';
import { token } from '@atlaskit/tokens';
import { VERDICTS, type Portfolio, type Verdict } from '../../../src/contract';
import { call, toFailure } from '../../common/api';
import { JqlLink, VerdictLozenge, subtle } from '../../common/components';
import { formatNumber, formatPercent } from '../../common/format';
import type { Filters } from './filter-bar';

export function Headline({ portfolio, filters }: { portfolio: Portfolio; filters: Filters }) {
  const { byVerdict } = portfolio.summary;
  return (
    <section aria-label="Headline" style={{ display: 'flex', gap: token('space.200'), flexWrap: 'wrap' }}>
      {VERDICTS.map((v) => (
        <Tile key={v} label={<VerdictLozenge verdict={v} />}>
          {byVerdict[v] > 0 ? <VerdictLink verdict={v} count={byVerdict[v]} filters={filters} /> : 0}
        </Tile>
      ))}
      <OffRouteTile portfolio={portfolio} />
    </section>
  );
}

/**
 * The work of every destination with a verdict, in the issue navigator. Its JQL joins one query per
 * destination, too long to send with every view: it is asked for (`portfolio/jql`) when the link is followed.
 */
function VerdictLink({ verdict, count, filters }: { verdict: Verdict; count: number; filters: Filters }) {
  const [problem, setProblem] = useState<string | null>(null);
  const open = () => {
    setProblem(null);
    call('portfolio/jql', { ...filters, verdict })
      .then(({ jql }) => (jql === null ? setProblem('No destination has this verdict any more.') : router.navigate(`/issues/?jql=${encodeURIComponent(jql)}`)))
      .catch((e: unknown) => setProblem(toFailure(e).message));
  };
  return (
    <>
      <a
        href="/issues/"
        aria-label={`Work of the ${count} destinations ${verdict}`}
        style={{ color: token('color.link') }}
        onClick={(e) => {
          e.preventDefault();
          open();
        }}
      >
        {count}
      </a>
      {problem && <span role="alert" style={{ ...subtle, display: 'block' }}>{problem}</span>}
    </>
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
