/**
 * One destination's trip over time, opened from its portfolio row: the burn-up with today's forecast, the
 * success measure, what the owner and the lead say (check-ins, the disagreement with the data, concerns)
 * and the scope drift since the baseline. History and voices are asked for at once and each part paints
 * when its answer comes.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { DestinationRollup, Disagreement, TripHistory, TripVoices } from '../../../../src/contract';
import { ErrorMessage, ForecastMethodTip, Loading, subtle, VerdictLozenge } from '../../../common/components';
import { chanceText, formatDate, likelyText, localiseDates, offsetText } from '../../../common/format';
import { CHECK_IN_STATUS_LABEL, ROLE_LABEL } from '../../../common/labels';
import { LazyPart } from '../../../common/lazy';
import { useResolver } from '../../../common/use-resolver';
import { BurnUpChart, MeasureChart } from './charts';
import { CheckInForm } from './check-in-form';
import { CheckInTimeline } from './check-in-timeline';
import { Concerns } from './concerns';
import { ScopeDriftSection } from './scope-drift';

export function TripView({ destination, onBack }: { destination: DestinationRollup; onBack: () => void }) {
  const payload = { destinationId: destination.id };
  const history = useResolver('trip/history', payload);
  const voices = useResolver('trip/voices', payload);
  const heading = useRef<HTMLHeadingElement>(null);
  // Whoever opened the trip by keyboard lands on its heading, not at the top of the page.
  useEffect(() => heading.current?.focus(), []);

  const forecast = history.data?.forecast ?? destination.forecast;
  const range = forecast.range;
  const offset = offsetText(forecast);
  return (
    <article aria-labelledby="trip-heading" data-testid="trip-view" style={{ display: 'flex', flexDirection: 'column', gap: token('space.250') }}>
      <div>
        <Button appearance="subtle" onClick={onBack}>← Back to destinations</Button>
      </div>
      <header style={{ display: 'flex', flexDirection: 'column', gap: token('space.075') }}>
        <h1 id="trip-heading" ref={heading} tabIndex={-1} style={{ font: token('font.heading.large'), margin: 0, outline: 'none' }}>
          {destination.name}
        </h1>
        <div style={{ display: 'flex', gap: token('space.150'), alignItems: 'center', flexWrap: 'wrap' }}>
          <span>Owner: {destination.businessOwnerName}</span>
          <span>Target: {formatDate(destination.targetDate)}</span>
          <VerdictLozenge verdict={forecast.verdict} />
          {range && (
            <span data-testid="trip-chance">
              {chanceText(range.probabilityByTarget)} by the target date
              <ForecastMethodTip range={range} windowWeeks={forecast.windowWeeks} />
            </span>
          )}
        </div>
        <p style={{ ...subtle, margin: 0 }}>
          {forecast.forecastDate ? `Forecast ${formatDate(forecast.forecastDate)}` : 'No forecast date'}
          {offset ? ` (${offset})` : ''}
          {range && likelyText(range) ? `, ${likelyText(range)}` : ''}.
        </p>
      </header>

      {voices.data && <VoicesBanners voices={voices.data} />}

      <Section title="Burn-up">
        {history.failure && <ErrorMessage failure={history.failure} title="The trip's history could not be loaded" onRetry={history.reload} />}
        {!history.data && !history.failure && <Loading label="Loading the burn-up" />}
        {history.data && <BurnUp history={history.data} voices={voices.data} name={destination.name} />}
      </Section>

      {voices.failure && <ErrorMessage failure={voices.failure} title="The check-ins and concerns could not be loaded" onRetry={voices.reload} />}
      {!voices.data && !voices.failure && <Loading label="Loading the check-ins" />}
      {voices.data && <Voices voices={voices.data} onChange={voices.setData} />}

      <Section title="Scope since the baseline">
        {history.data && <ScopeDriftSection history={history.data} onChange={history.setData} />}
        {!history.data && !history.failure && <p style={subtle}>Loading…</p>}
      </Section>

      <div>
        <Button appearance="subtle" onClick={onBack}>← Back to destinations</Button>
      </div>
    </article>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} style={{ display: 'flex', flexDirection: 'column', gap: token('space.100') }}>
      <Heading size="medium" as="h2">{title}</Heading>
      {children}
    </section>
  );
}

function BurnUp({ history, voices, name }: { history: TripHistory; voices: TripVoices | null; name: string }) {
  return (
    <>
      <LazyPart fallback={<Loading label="Loading the chart" />}>
        <BurnUpChart history={history} checkIns={voices?.checkIns ?? []} name={name} />
      </LazyPart>
      {history.limits.length > 0 && (
        <div data-testid="burn-up-limits">
          <p style={{ ...subtle, margin: 0 }}>What this burn-up cannot know:</p>
          <ul style={{ ...subtle, margin: 0, paddingLeft: token('space.250') }}>
            {history.limits.map((l) => (
              <li key={l}>{localiseDates(l)}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/** The disagreement between the newest check-in and the data, and the reminder when a check-in is due. */
function VoicesBanners({ voices }: { voices: TripVoices }) {
  const { disagreement, due, role } = voices;
  return (
    <>
      {disagreement && <DisagreementBanner disagreement={disagreement} voices={voices} />}
      {due.due && role !== null && (
        <SectionMessage appearance="information" title="A check-in is due">
          <p data-testid="check-in-due">
            {due.lastDay
              ? `The last check-in was on ${formatDate(due.lastDay)}; the cadence is every ${due.cadenceWeeks} ${due.cadenceWeeks === 1 ? 'week' : 'weeks'}.`
              : 'Nobody has checked in on this destination yet.'}{' '}
            As the {ROLE_LABEL[role].toLowerCase()}, say how the trip looks below.
          </p>
        </SectionMessage>
      )}
    </>
  );
}

function DisagreementBanner({ disagreement, voices }: { disagreement: Disagreement; voices: TripVoices }) {
  const said = voices.latest[disagreement.role];
  const column = { flex: '1 1 220px', display: 'flex', flexDirection: 'column' as const, gap: token('space.050') };
  return (
    <SectionMessage appearance="warning" title="The check-in and the data disagree">
      <div data-testid="disagreement" style={{ display: 'flex', gap: token('space.300'), flexWrap: 'wrap' }}>
        <div style={column}>
          <strong>{ROLE_LABEL[disagreement.role]}{said ? ` (${said.byName})` : ''} says</strong>
          <span>{CHECK_IN_STATUS_LABEL[disagreement.says]}{said ? `, ${formatDate(said.at)}` : ''}</span>
        </div>
        <div style={column}>
          <strong>The data says</strong>
          <span>{disagreement.chance}% chance by the target date</span>
        </div>
      </div>
      <p>{localiseDates(disagreement.reason)}</p>
    </SectionMessage>
  );
}

function Voices({ voices, onChange }: { voices: TripVoices; onChange: (voices: TripVoices) => void }) {
  const { successMeasure, role } = voices;
  return (
    <>
      {successMeasure && (
        <Section title="Success measure">
          <LazyPart fallback={<Loading label="Loading the chart" />}>
            <MeasureChart measure={successMeasure} checkIns={voices.checkIns} />
          </LazyPart>
        </Section>
      )}
      <Section title="Check-ins">
        <LatestStatus voices={voices} />
        {role !== null && <CheckInForm destinationId={voices.destinationId} role={role} measure={successMeasure} onSaved={onChange} />}
        <CheckInTimeline checkIns={voices.checkIns} measure={successMeasure} />
      </Section>
      <Section title="Concerns">
        <Concerns voices={voices} onChange={onChange} />
      </Section>
    </>
  );
}

function LatestStatus({ voices }: { voices: TripVoices }) {
  const { owner, lead } = voices.latest;
  if (!owner && !lead) return null;
  return (
    <div style={{ display: 'flex', gap: token('space.200'), flexWrap: 'wrap' }}>
      {([['owner', owner], ['lead', lead]] as const).map(([r, c]) =>
        c ? (
          <span key={r}>
            {ROLE_LABEL[r]}: <Lozenge appearance={c.status === 'on track' ? 'success' : c.status === 'at risk' ? 'moved' : 'removed'}>{CHECK_IN_STATUS_LABEL[c.status]}</Lozenge>{' '}
            <span style={subtle}>{formatDate(c.at)}</span>
          </span>
        ) : null,
      )}
    </div>
  );
}
