/**
 * The gadget's view: one destination's card (progress, chance of arriving on time, the latest check-ins, the
 * disagreement flag, open concerns) or the portfolio's headline. Not configured yet: the headline. Colours
 * come from tokens only, so Jira's light and dark dashboards both read.
 */
import Lozenge from '@atlaskit/lozenge';
import { token } from '@atlaskit/tokens';
import type { CheckInSummary, GadgetCard } from '../../../src/contract';
import { VERDICTS } from '../../../src/contract';
import { ErrorMessage, Loading, ProgressLegend, StackedProgress, VerdictLozenge, subtle } from '../../common/components';
import { chanceText, formatDate, formatPercent, likelyText, localiseDates, offsetText, sentence } from '../../common/format';
import { useResolver } from '../../common/use-resolver';
import type { GadgetConfiguration } from './configuration';

export function GadgetView({ configuration }: { configuration: GadgetConfiguration }) {
  const { data, failure, reload } = useResolver('gadget/card', { destinationId: configuration.destinationId ?? null });
  return (
    <div style={{ padding: token('space.200') }} data-testid="gadget-card">
      {failure ? (
        <ErrorMessage failure={failure} title="The card could not be loaded" onRetry={reload} />
      ) : data === null ? (
        <Loading label="Loading the card" />
      ) : data.kind === 'destination' ? (
        <DestinationCard card={data} />
      ) : (
        <HeadlineCard card={data} />
      )}
    </div>
  );
}

const row = { display: 'flex', alignItems: 'center', gap: token('space.100'), flexWrap: 'wrap' } as const;

function DestinationCard({ card }: { card: Extract<GadgetCard, { kind: 'destination' }> }) {
  const { destination: d, progress, forecast } = card;
  const chance = forecast.range?.probabilityByTarget;
  return (
    <section aria-label={`Destination ${d.name}`} style={{ display: 'grid', gap: token('space.150') }}>
      <div style={row}>
        <h2 style={{ font: token('font.heading.small'), margin: 0, color: token('color.text') }}>{d.name}</h2>
        <VerdictLozenge verdict={card.verdict} />
      </div>
      <div style={subtle}>
        Target {formatDate(d.targetDate)} · {d.ownerName}
      </div>
      <div style={{ display: 'grid', gap: token('space.050') }}>
        <StackedProgress progress={progress.count} />
        <ProgressLegend progress={progress.count} unit="issues" />
      </div>
      <p style={{ margin: 0, color: token('color.text') }} data-testid="gadget-forecast">
        {sentence([
          chance === undefined || chance === null ? null : `${chanceText(chance)} of arriving by the target date`,
          forecast.forecastDate ? `most likely ${formatDate(forecast.forecastDate)}` : null,
          forecast.range ? likelyText(forecast.range) : null,
          offsetText(forecast),
        ]) || localiseDates(forecast.reason)}
      </p>
      <CheckIns checkIns={card.checkIns} />
      {card.disagreement && (
        <div role="note" data-testid="gadget-disagreement" style={{ padding: token('space.100'), borderRadius: token('radius.medium'), background: token('color.background.warning'), color: token('color.text.warning') }}>
          <strong>Check-in and data disagree.</strong> {localiseDates(card.disagreement.reason)}
        </div>
      )}
      <div style={subtle} data-testid="gadget-concerns">
        {card.openConcerns === 0 ? 'No open concerns' : `${card.openConcerns} open ${card.openConcerns === 1 ? 'concern' : 'concerns'}`}
      </div>
    </section>
  );
}

function CheckIns({ checkIns }: { checkIns: CheckInSummary }) {
  const people = [
    ['Owner', checkIns.owner],
    ['Delivery lead', checkIns.lead],
  ] as const;
  return (
    <div data-testid="gadget-check-ins" style={{ display: 'grid', gap: token('space.050') }}>
      {people.map(([who, c]) => (
        <div key={who} style={row}>
          <span style={{ ...subtle, minWidth: 96 }}>{who}</span>
          {c ? (
            <>
              <Lozenge appearance={c.status === 'on track' ? 'success' : c.status === 'at risk' ? 'moved' : 'removed'}>{c.status}</Lozenge>
              <span style={subtle}>
                {c.byName}, {formatDate(c.at.slice(0, 10))}
              </span>
            </>
          ) : (
            <span style={subtle}>No check-in yet</span>
          )}
        </div>
      ))}
      {checkIns.due && <div style={{ ...subtle, color: token('color.text.warning') }}>A check-in is due.</div>}
    </div>
  );
}

function HeadlineCard({ card }: { card: Extract<GadgetCard, { kind: 'portfolio' }> }) {
  return (
    <section aria-label="Portfolio headline" style={{ display: 'grid', gap: token('space.150') }}>
      <h2 style={{ font: token('font.heading.small'), margin: 0, color: token('color.text') }}>
        {card.destinations} {card.destinations === 1 ? 'destination' : 'destinations'}
      </h2>
      <ul aria-label="Destinations by verdict" style={{ ...row, listStyle: 'none', margin: 0, padding: 0 }}>
        {VERDICTS.filter((v) => card.byVerdict[v] > 0).map((v) => (
          <li key={v} style={row}>
            <VerdictLozenge verdict={v} /> <span style={{ color: token('color.text') }}>{card.byVerdict[v]}</span>
          </li>
        ))}
      </ul>
      <div style={{ color: token('color.text') }} data-testid="gadget-off-route">
        {card.offRouteShare === null ? 'No work in flight' : `${formatPercent(card.offRouteShare)} of work in flight is off-route`}
      </div>
      <div style={subtle}>
        {card.disagreements === 0 ? 'No check-in disagrees with the data' : `${card.disagreements} ${card.disagreements === 1 ? 'destination whose check-in disagrees' : 'destinations whose check-ins disagree'} with the data`}
        {' · '}
        {card.openConcerns === 0 ? 'no open concerns' : `${card.openConcerns} open ${card.openConcerns === 1 ? 'concern' : 'concerns'}`}
      </div>
      <div style={subtle}>As of {formatDate(card.asOf)}</div>
    </section>
  );
}
