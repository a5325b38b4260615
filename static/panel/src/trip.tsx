/**
 * The destination's trip in the panel: its compact burn-up and what people say about it (check-ins, the
 * disagreement flag, concerns). None of it may slow the panel's first paint (its early alignment call and
 * first render are measured): both calls and both chunks start only once the alignment has painted, and
 * each chunk loads at the same time as its data. The burn-up is the portfolio's chart (static/common/charts)
 * in its compact form, with the latest check-ins as markers once the voices answer.
 */
import { useEffect, useState } from 'react';
import Heading from '@atlaskit/heading';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import type { DestinationView, EpicAlignment, EpicVoices, TripHistory } from '../../../src/contract';
import { ErrorMessage, subtle } from '../../common/components';
import { LazyPart, lazyPart } from '../../common/lazy';
import { useResolver, type Resolved } from '../../common/use-resolver';
import { DisagreementFlag } from './disagreement-flag';
import { checkInMarkers } from './trip-text';

const loadBurnUp = () => import('../../common/charts/burn-up-chart');
const loadVoices = () => import('./epic-voices');
const BurnUpChart = lazyPart('the burn-up chart', loadBurnUp, 'BurnUpChart');
const VoicesPart = lazyPart('the check-ins and concerns', loadVoices, 'VoicesPart');

/** `true` from the render after the first paint on: an effect runs after the commit, the timeout after paint. */
function useAfterPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setReady(true), 0);
    return () => clearTimeout(t);
  }, []);
  return ready;
}

export interface Trip {
  history: Resolved<TripHistory>;
  voices: Resolved<EpicVoices>;
}

/** Starts the trip's calls and chunks after the first paint. Mount it under a `key` of the destination. */
export function useTrip(issueKey: string): Trip {
  const ready = useAfterPaint();
  useEffect(() => {
    if (!ready) return;
    // Failures show where each part renders (LazyPart); here they only start early.
    loadBurnUp().catch(() => undefined);
    loadVoices().catch(() => undefined);
  }, [ready]);
  const history = useResolver('epic/trip-history', ready ? { issueKey } : null);
  const voices = useResolver('epic/voices', ready ? { issueKey } : null);
  return { history, voices };
}

/**
 * A small spinner, not `Loading`: the panel's first content is measured as the first paint without a
 * `data-testid="loading"` spinner (bench/ui/probe.ts), and the trip, which comes after, must not move it.
 */
function TripLoading({ label }: { label: string }) {
  return (
    <div role="status" data-testid="trip-loading" style={{ display: 'flex', justifyContent: 'center', padding: token('space.100') }}>
      <Spinner size="small" label={label} />
    </div>
  );
}

/** The flag from the voices once they answer, from the alignment (first paint) until then. */
export function TripFlag({ trip, alignment, destination }: { trip: Trip; alignment: EpicAlignment; destination: DestinationView }) {
  const disagreement = trip.voices.data ? trip.voices.data.disagreement : (alignment.disagreement ?? null);
  if (!disagreement) return null;
  return <DisagreementFlag disagreement={disagreement} destination={destination} forecast={alignment.forecast} />;
}

export function TripBurnUp({ trip, destination }: { trip: Trip; destination: DestinationView }) {
  const { data, failure, reload } = trip.history;
  const loading = <TripLoading label="Loading the burn-up" />;
  return (
    <section aria-label="Burn-up" data-testid="compact-burn-up" style={{ display: 'flex', flexDirection: 'column', gap: token('space.075') }}>
      <Heading size="xsmall" as="h3">Burn-up of the destination</Heading>
      {failure ? (
        <ErrorMessage failure={failure} title="The burn-up could not be loaded" onRetry={reload} />
      ) : !data ? (
        loading
      ) : (
        <>
          <LazyPart fallback={loading}>
            <BurnUpChart history={data} checkIns={checkInMarkers(trip.voices.data)} name={destination.name} compact />
          </LazyPart>
          {data.limits.length > 0 && (
            <details style={subtle}>
              <summary>What this chart cannot know</summary>
              <ul style={{ margin: 0, paddingLeft: token('space.200') }}>
                {data.limits.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

export function TripVoices({ trip, issueKey }: { trip: Trip; issueKey: string }) {
  const { data, failure, reload, setData } = trip.voices;
  if (failure) return <ErrorMessage failure={failure} title="The check-ins and concerns could not be loaded" onRetry={reload} />;
  const loading = <TripLoading label="Loading check-ins and concerns" />;
  if (!data) return loading;
  return (
    <div style={{ marginTop: token('space.100') }}>
      <LazyPart fallback={loading}>
        <VoicesPart voices={data} issueKey={issueKey} onChange={setData} />
      </LazyPart>
    </div>
  );
}
