/** Components every surface shares. Colours come from design tokens only, so light and dark both work. */
import React from 'react';
import { router } from '@forge/bridge';
import Lozenge, { type ThemeAppearance } from '@atlaskit/lozenge';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import EmptyState from '@atlaskit/empty-state';
import InformationCircleIcon from '@atlaskit/icon/core/information-circle';
import Tooltip from '@atlaskit/tooltip';
import { token } from '@atlaskit/tokens';
import { FORECAST_METHOD, type DestinationStatus, type Freshness } from '../../src/contract';
import type { CountProgress, EstimateProgress, ForecastRange, Verdict } from '../../src/contract';
import type { ApiFailure } from './api';
import { formatAge, formatNumber, localiseDates } from './format';
import { STATUS_LABEL, VERDICT_LABEL } from './labels';

export const SEGMENTS = [
  { key: 'done', label: 'done', color: token('color.background.success.bold') },
  { key: 'indeterminate', label: 'in progress', color: token('color.background.information.bold') },
  { key: 'new', label: 'to do', color: token('color.background.accent.gray.subtle') },
] as const;

/** A bar of done / in progress / to do, by count or by estimate. */
export function StackedProgress({
  progress,
  unit = 'issues',
  width = '100%',
}: {
  progress: CountProgress | EstimateProgress;
  unit?: string;
  width?: number | string;
}) {
  const total = progress.new + progress.indeterminate + progress.done;
  const label =
    total === 0
      ? `No ${unit}`
      : `${formatNumber(progress.done)} done, ${formatNumber(progress.indeterminate)} in progress, ${formatNumber(progress.new)} to do, of ${formatNumber(total)} ${unit}`;
  return (
    <div
      role="img"
      aria-label={label}
      title={label}
      style={{
        display: 'flex',
        width,
        minWidth: 80,
        height: 8,
        borderRadius: 4,
        overflow: 'hidden',
        background: token('color.background.neutral'),
      }}
    >
      {total > 0 &&
        SEGMENTS.map((s) =>
          progress[s.key] > 0 ? (
            <div key={s.key} style={{ width: `${(progress[s.key] / total) * 100}%`, background: s.color }} />
          ) : null,
        )}
    </div>
  );
}

/** The legend under a progress bar: coloured dots with the figures. */
export function ProgressLegend({ progress, unit }: { progress: CountProgress | EstimateProgress; unit?: string }) {
  return (
    <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', font: token('font.body.small'), color: token('color.text.subtle') }}>
      {SEGMENTS.map((s) => (
        <span key={s.key} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <span aria-hidden style={{ width: 8, height: 8, borderRadius: 4, background: s.color, display: 'inline-block' }} />
          {formatNumber(progress[s.key])} {s.label}
        </span>
      ))}
      {unit && <span>{unit}</span>}
    </div>
  );
}

/**
 * How a forecast is worked out, for whoever asks: the statistics stay in this tooltip (and in
 * docs/decisions/0005-forecast-rules.md), out of the sentences a leader reads.
 */
const percent = (share: number): number => Math.round(share * 100);

export function ForecastMethodTip({ range, windowWeeks }: { range: ForecastRange; windowWeeks: number }) {
  const method =
    range.method === 'monte carlo'
      ? `${formatNumber(FORECAST_METHOD.trials, 0)} simulated futures that replay randomly drawn weeks of the last ${windowWeeks} weeks`
      : `a normal approximation of the weekly pace of the last ${windowWeeks} weeks (more than two years of work remain)`;
  const content = `Worked out from ${method}: the forecast date is their median (P${percent(FORECAST_METHOD.forecast)}), the likely range their ${percent(FORECAST_METHOD.likelyFrom)}th to ${percent(FORECAST_METHOD.likelyTo)}th percentile, and the chance the share that finish by the target date. The verdict follows the chance.`;
  return (
    <Tooltip content={content} position="top">
      {(props) => (
        <span
          {...props}
          tabIndex={0}
          data-testid="forecast-method"
          style={{ display: 'inline-flex', verticalAlign: 'middle', cursor: 'help', marginLeft: token('space.050') }}
        >
          <InformationCircleIcon label={`How the forecast is worked out: ${content}`} color={token('color.icon.subtle')} size="small" />
        </span>
      )}
    </Tooltip>
  );
}

const VERDICT_APPEARANCE: Record<Verdict, ThemeAppearance> = {
  'on track': 'success',
  'at risk': 'moved',
  'off track': 'removed',
  'no data': 'default',
  arrived: 'new',
};

export function VerdictLozenge({ verdict }: { verdict: Verdict }) {
  return <Lozenge appearance={VERDICT_APPEARANCE[verdict]}>{VERDICT_LABEL[verdict]}</Lozenge>;
}

const STATUS_APPEARANCE: Record<DestinationStatus, ThemeAppearance> = {
  draft: 'default',
  active: 'inprogress',
  achieved: 'success',
  archived: 'removed',
};

export function StatusLozenge({ status }: { status: DestinationStatus }) {
  return <Lozenge appearance={STATUS_APPEARANCE[status]}>{STATUS_LABEL[status]}</Lozenge>;
}

export function ErrorMessage({ failure, title, onRetry }: { failure: ApiFailure; title?: string; onRetry?: () => void }) {
  return (
    <SectionMessage
      appearance="error"
      title={title ?? 'Something went wrong'}
      actions={onRetry ? [<SectionMessageAction key="retry" onClick={onRetry}>Try again</SectionMessageAction>] : []}
    >
      <p>{failure.message}</p>
    </SectionMessage>
  );
}

export function Empty({ header, description, action }: { header: string; description?: React.ReactNode; action?: React.ReactNode }) {
  return <EmptyState header={header} description={description} primaryAction={action} headingLevel={2} />;
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: token('space.400') }} role="status" aria-live="polite" data-testid="loading">
      <Spinner size="large" label={label} />
    </div>
  );
}

/** A link to a Jira issue that opens it the way Jira does (through the bridge's router). */
export function IssueLink({ issueKey, children }: { issueKey: string; children?: React.ReactNode }) {
  return (
    <a
      href={`/browse/${encodeURIComponent(issueKey)}`}
      style={{ color: token('color.link') }}
      onClick={(e) => {
        e.preventDefault();
        void router.open({ target: 'issue', issueKey });
      }}
    >
      {children ?? issueKey}
    </a>
  );
}

/** The issue navigator's address for a JQL query. */
export const jqlUrl = (jql: string): string => `/issues/?jql=${encodeURIComponent(jql)}`;

/** Opens the issue navigator for a JQL query the way Jira does (through the bridge's router). */
export const openJql = (jql: string): void => {
  void router.navigate(jqlUrl(jql));
};

/** A link to the issue navigator for a JQL query. */
export function JqlLink({ jql, children, label }: { jql: string | undefined; children: React.ReactNode; label?: string }) {
  if (!jql) return <>{children}</>;
  return (
    <a
      href={jqlUrl(jql)}
      aria-label={label}
      style={{ color: token('color.link') }}
      onClick={(e) => {
        e.preventDefault();
        openJql(jql);
      }}
    >
      {children}
    </a>
  );
}

export const subtle: React.CSSProperties = { color: token('color.text.subtle'), font: token('font.body.small') };

/**
 * How fresh stored figures are. Stale figures are never hidden: they are shown with their age and the reason.
 */
export function FreshnessNote({ freshness, prefix }: { freshness: Freshness | undefined; prefix?: string }) {
  if (!freshness) return null;
  const age = formatAge(freshness.updatedAt);
  const line = (
    <>
      {prefix ? `${prefix} ` : ''}
      {`Up to date with changes made ${age}`}
      {freshness.recalculating ? '; a full recalculation is running' : ''}.
    </>
  );
  if (freshness.calculation) {
    const { progress, items } = freshness.calculation;
    return (
      <SectionMessage appearance="information" title="Calculating the figures">
        <p>
          The first full calculation is {Math.floor(progress * 100)}% done ({items.toLocaleString()} issues read); figures appear when it finishes.
        </p>
      </SectionMessage>
    );
  }
  if (!freshness.stale) return <p style={{ ...subtle, margin: 0 }}>{line}</p>;
  return (
    <SectionMessage appearance="warning" title="These figures may be behind Jira">
      <p>
        {freshness.staleReason ? localiseDates(freshness.staleReason) : 'Some changes have not been applied yet.'} Last updated {age}
        {freshness.pendingSince ? `; changes wait since ${formatAge(freshness.pendingSince)}` : ''}.
        {freshness.recalculating ? ' A full recalculation is running.' : ''}
      </p>
    </SectionMessage>
  );
}
