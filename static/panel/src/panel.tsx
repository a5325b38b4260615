/** The Destination issue panel: what this epic drives toward, how far it is, and whether it arrives on time. */
import { useEffect, useRef, useState } from 'react';
import { view } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import { Select } from '../../common/lazy-select';
import { token } from '@atlaskit/tokens';
import { unknownDestinationText, type DestinationView, type EpicAlignment } from '../../../src/contract';
import { call, toFailure, type ApiFailure } from '../../common/api';
import type { Preloaded } from '../../common/preload';
import { useResolver } from '../../common/use-resolver';
import {
  ErrorMessage,
  ForecastMethodTip,
  FreshnessNote,
  IssueLink,
  Loading,
  ProgressLegend,
  StackedProgress,
  StatusLozenge,
  VerdictLozenge,
  subtle,
} from '../../common/components';
import { destinationOptions, formatDestinationOption, type DestinationOption as Option } from '../../common/destination-options';
import { TripBurnUp, TripFlag, TripVoices, useTrip } from './trip';
import { chanceText, formatDate, formatNumber, formatPercent, likelyText, localiseDates, offsetText, sentence } from '../../common/format';

type Measure = 'count' | 'estimate';

/** The panel of the issue Jira framed it on: the backend reads which from the call's context (no payload). */
export function Panel({ first }: { first?: Preloaded<'epic/alignment'> }) {
  const { data: alignment, failure, reload, setData: setAlignment } = useResolver('epic/alignment', {}, undefined, first);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [clearing, setClearing] = useState(false);
  const [clearFailure, setClearFailure] = useState<ApiFailure | null>(null);

  if (failure) return <Frame><ErrorMessage failure={failure} title="The destination could not be loaded" onRetry={reload} /></Frame>;
  if (!alignment) return <Frame><Loading label="Loading destination" /></Frame>;

  const { epic } = alignment;
  if (!epic.isEpic) {
    return (
      <Frame>
        <p style={subtle}>
          Business destinations are set on epics. {epic.key} is not an epic: its work counts toward the destination of
          its parent epic.
        </p>
      </Frame>
    );
  }

  // Unestimated work is shown next to the progress bar,
  // and an alignment problem already has its own message above.
  const warnings = alignment.warnings.filter(
    (w) => w.code !== 'UNESTIMATED_WORK' && !(alignment.alignmentProblem && (w.code === 'UNKNOWN_DESTINATION' || w.code === 'ARCHIVED_DESTINATION')),
  );

  const onSaved = (next: EpicAlignment) => {
    setAlignment(next);
    setEditing(false);
    setSaved(next.destination ? `${epic.key} now serves ${next.destination.name}.` : `${epic.key} no longer serves a destination.`);
    // The issue view shows the field too: ask Jira to fetch the issue again so the field shows the new value.
    // Hosts where the view cannot be refreshed refuse; the panel itself is already up to date.
    view.refresh().catch(() => undefined);
  };

  const clear = () => {
    setClearing(true);
    setClearFailure(null);
    setSaved(null);
    call('epic/set-destination', { issueKey: epic.key, destinationId: null })
      .then(onSaved)
      .catch((e: unknown) => setClearFailure(toFailure(e)))
      .finally(() => setClearing(false));
  };

  // The field holds something (a live, archived or unknown destination), so there is something to clear.
  const fieldHoldsValue = alignment.destination !== null || alignment.alignmentProblem !== null;
  const chooser = (
    <DestinationChooser
      issueKey={epic.key}
      current={alignment.destination}
      canClear={fieldHoldsValue}
      onSaved={onSaved}
      onCancel={fieldHoldsValue ? () => setEditing(false) : undefined}
    />
  );
  const unknownId = alignment.alignmentProblem?.code === 'UNKNOWN_DESTINATION' ? alignment.alignmentProblem.destinationId : null;

  return (
    <Frame>
      {saved && (
        <div role="status" style={{ marginBottom: token('space.100') }}>
          <SectionMessage appearance="success">
            <p>{saved}</p>
          </SectionMessage>
        </div>
      )}
      {alignment.alignmentProblem && (
        <div style={{ marginBottom: token('space.150') }}>
          <SectionMessage
            appearance="warning"
            title="This epic's destination needs attention"
            actions={
              alignment.canEdit && !editing
                ? [
                    <SectionMessageAction key="choose" onClick={() => { setSaved(null); setEditing(true); }}>
                      Choose another destination
                    </SectionMessageAction>,
                    <SectionMessageAction key="clear" onClick={clearing ? undefined : clear}>
                      {clearing ? 'Clearing the field…' : 'Clear the field'}
                    </SectionMessageAction>,
                  ]
                : []
            }
          >
            <p>{alignment.alignmentProblem.message}</p>
            <p>
              Fix: choose an active destination for {epic.key}
              {alignment.canEdit ? '' : ' (ask someone who can edit this epic)'}, or clear the field.
            </p>
          </SectionMessage>
        </div>
      )}
      {clearFailure && <ErrorMessage failure={clearFailure} title="The field was not cleared" />}
      {!alignment.destination && !alignment.alignmentProblem ? (
        <>
          <section aria-label="No destination" style={{ display: 'flex', flexDirection: 'column', gap: token('space.050') }}>
            <Heading size="small" as="h2">This epic serves no destination: choose one</Heading>
            <p style={{ margin: 0, color: token('color.text.subtle') }}>
              Align the epic with a business destination so its progress counts toward it. Until then its work in
              progress counts as off-route.
            </p>
          </section>
          {alignment.canEdit ? chooser : <p style={subtle}>You cannot edit this epic, so you cannot choose its destination.</p>}
          <EpicProgress alignment={alignment} />
        </>
      ) : (
        <>
          {alignment.destination ? (
            // Keyed by destination: a new destination starts its trip afresh.
            <DestinationSummary key={alignment.destination.id} alignment={alignment} destination={alignment.destination} />
          ) : (
            <>
              {unknownId && (
                <Heading size="small" as="h2">
                  {unknownDestinationText(unknownId)}
                </Heading>
              )}
              <EpicProgress alignment={alignment} />
            </>
          )}
          {alignment.canEdit &&
            (editing ? (
              chooser
            ) : alignment.alignmentProblem ? null : (
              <div style={{ marginTop: token('space.150') }}>
                <Button onClick={() => { setSaved(null); setEditing(true); }}>Change destination</Button>
              </div>
            ))}
        </>
      )}
      {warnings.length > 0 && (
        <ul style={{ ...subtle, paddingLeft: token('space.200') }} aria-label="Warnings">
          {warnings.map((w, i) => (
            <li key={i}>{w.message}</li>
          ))}
        </ul>
      )}
    </Frame>
  );
}

function Frame({ children }: { children: React.ReactNode }) {
  return <main style={{ padding: token('space.100'), display: 'flex', flexDirection: 'column', gap: token('space.100') }}>{children}</main>;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: '110px 1fr', gap: token('space.100'), alignItems: 'baseline' }}>
      <dt style={{ color: token('color.text.subtle') }}>{label}</dt>
      <dd style={{ margin: 0 }}>{children}</dd>
    </div>
  );
}

function DestinationSummary({ alignment, destination }: { alignment: EpicAlignment; destination: DestinationView }) {
  const { forecast } = alignment;
  // The trip (burn-up, check-ins, concerns) loads after this first paint.
  const trip = useTrip(alignment.epic.key);
  return (
    <section aria-label="Destination" style={{ display: 'flex', flexDirection: 'column', gap: token('space.150') }}>
      <div style={{ display: 'flex', gap: token('space.100'), alignItems: 'center', flexWrap: 'wrap' }}>
        <Heading size="small" as="h2">{destination.name}</Heading>
        <StatusLozenge status={destination.status} />
      </div>
      <dl style={{ margin: 0, display: 'flex', flexDirection: 'column', gap: token('space.050') }}>
        <Row label="Owner">{destination.businessOwnerName}</Row>
        {destination.deliveryLeadName && <Row label="Delivery lead">{destination.deliveryLeadName}</Row>}
        <Row label="Target date">{formatDate(destination.targetDate)}</Row>
        {forecast && (
          <Row label="Forecast">
            <span style={{ display: 'inline-flex', gap: token('space.100'), alignItems: 'center', flexWrap: 'wrap' }}>
              <VerdictLozenge verdict={forecast.verdict} />
              {forecast.forecastDate ? formatDate(forecast.forecastDate) : forecast.range ? 'not within ten years' : 'no forecast date'}
              {offsetText(forecast) && <span style={subtle}>{offsetText(forecast)}</span>}
            </span>
            {forecast.range && (
              <div style={subtle} data-testid="forecast-chance">
                {sentence([likelyText(forecast.range), `${chanceText(forecast.range.probabilityByTarget)} by the target date`])}
                <ForecastMethodTip range={forecast.range} windowWeeks={forecast.windowWeeks} />
              </div>
            )}
            <div style={subtle}>{localiseDates(forecast.reason)}</div>
          </Row>
        )}
      </dl>
      <TripFlag trip={trip} alignment={alignment} destination={destination} />
      <TripBurnUp trip={trip} destination={destination} />
      <EpicProgress alignment={alignment} />
      <Siblings alignment={alignment} />
      <FreshnessNote freshness={alignment.freshness} />
      <TripVoices trip={trip} issueKey={alignment.epic.key} />
    </section>
  );
}

/** The epic's own progress: shown whether or not it serves a destination (unaligned work is off-route work). */
function EpicProgress({ alignment }: { alignment: EpicAlignment }) {
  const [measure, setMeasure] = useState<Measure>('count');
  const { progress, share } = alignment;
  const bar = measure === 'count' ? progress.count : progress.estimate;
  if (progress.count.total === 0) return <p style={subtle}>This epic has no child issues yet.</p>;
  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: token('space.100'), flexWrap: 'wrap' }}>
        <Heading size="xsmall" as="h3">This epic's progress</Heading>
        <div role="group" aria-label="Measure progress by" style={{ display: 'flex', gap: token('space.050') }}>
          <Button spacing="compact" isSelected={measure === 'count'} aria-pressed={measure === 'count'} onClick={() => setMeasure('count')}>
            Count
          </Button>
          <Button spacing="compact" isSelected={measure === 'estimate'} aria-pressed={measure === 'estimate'} onClick={() => setMeasure('estimate')}>
            Estimate
          </Button>
        </div>
      </div>
      <div style={{ margin: `${token('space.100')} 0` }}>
        <StackedProgress progress={bar} unit={measure === 'count' ? 'issues' : 'estimate'} />
      </div>
      <ProgressLegend progress={bar} unit={measure === 'count' ? undefined : 'by estimate'} />
      {progress.estimate.unestimated > 0 && (
        <p style={subtle}>
          {formatNumber(progress.estimate.unestimated, 0)} of {formatNumber(progress.count.total, 0)}{' '}
          {progress.count.total === 1 ? 'issue' : 'issues'} {progress.estimate.unestimated === 1 ? 'has' : 'have'} no estimate: counted in
          the issue count, not in the estimate.
        </p>
      )}
      {share && (
        <p style={subtle}>
          This epic is {formatPercent(share.count)} of the destination's issues and {formatPercent(share.estimate)} of its estimate.
        </p>
      )}
    </div>
  );
}

function Siblings({ alignment }: { alignment: EpicAlignment }) {
  const { siblings, hiddenSiblings } = alignment;
  if (siblings.length === 0 && hiddenSiblings === 0) return <p style={subtle}>No other epic serves this destination yet.</p>;
  return (
    <div>
      <Heading size="xsmall" as="h3">Other epics on this destination</Heading>
      <ul style={{ listStyle: 'none', padding: 0, margin: `${token('space.100')} 0 0`, display: 'flex', flexDirection: 'column', gap: token('space.075') }}>
        {siblings.map((s) => (
          <li key={s.key} style={{ display: 'grid', gridTemplateColumns: 'minmax(0,1fr) 80px', gap: token('space.100'), alignItems: 'center' }}>
            <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              <IssueLink issueKey={s.key} /> {s.summary}
            </span>
            <StackedProgress progress={s.progress.count} />
          </li>
        ))}
      </ul>
      {hiddenSiblings > 0 && (
        <p style={subtle}>
          {hiddenSiblings} more {hiddenSiblings === 1 ? 'epic' : 'epics'} you cannot see.
        </p>
      )}
    </div>
  );
}

function DestinationChooser({
  issueKey,
  current,
  canClear,
  onSaved,
  onCancel,
}: {
  issueKey: string;
  current: DestinationView | null;
  /** Whether the field holds a value to clear (a destination, or one that is archived or unknown). */
  canClear: boolean;
  onSaved: (a: EpicAlignment) => void;
  onCancel?: () => void;
}) {
  const list = useResolver('destinations/list', { includeArchived: false });
  const options = list.data ? destinationOptions(list.data) : null;
  const [choice, setChoice] = useState<Option | null>(current ? { value: current.id, label: current.name } : null);
  const [saveFailure, setFailure] = useState<ApiFailure | null>(null);
  const failure = saveFailure ?? list.failure;
  const [saving, setSaving] = useState(false);
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);

  const save = async (destinationId: string | null) => {
    setSaving(true);
    setFailure(null);
    try {
      const next = await call('epic/set-destination', { issueKey, destinationId });
      if (mounted.current) onSaved(next);
    } catch (e) {
      if (mounted.current) setFailure(toFailure(e));
    } finally {
      if (mounted.current) setSaving(false);
    }
  };

  return (
    <form
      aria-label="Choose a destination"
      style={{ display: 'flex', flexDirection: 'column', gap: token('space.100'), marginTop: token('space.150') }}
      onSubmit={(e) => {
        e.preventDefault();
        void save(choice?.value ?? null);
      }}
    >
      {failure && <ErrorMessage failure={failure} title="The destination was not changed" />}
      <label htmlFor="panel-destination-select" style={{ font: token('font.body.small'), color: token('color.text.subtle') }}>
        Destination
      </label>
      <Select<Option>
        inputId="panel-destination-select"
        isClearable
        isLoading={options === null && !failure}
        options={options ?? []}
        value={choice}
        onChange={(o) => setChoice(o)}
        placeholder="Choose an active destination"
        noOptionsMessage={() => 'No active destination'}
        formatOptionLabel={formatDestinationOption}
      />
      <div style={{ display: 'flex', gap: token('space.100'), justifyContent: 'flex-end' }}>
        {onCancel && (
          <Button appearance="subtle" onClick={onCancel}>
            Cancel
          </Button>
        )}
        {canClear && (
          <Button appearance="warning" isDisabled={saving} onClick={() => void save(null)}>
            Clear destination
          </Button>
        )}
        <Button appearance="primary" type="submit" isLoading={saving} isDisabled={!choice && !canClear}>
          Save
        </Button>
      </div>
    </form>
  );
}
