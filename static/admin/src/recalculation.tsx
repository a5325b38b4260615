/** The background recalculation: what the surfaces read now, and a button to rebuild it from Jira. */
import { useCallback, useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import ProgressBar from '@atlaskit/progress-bar';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { ReconcileStatus } from '../../../src/contract';
import { call, toFailure, type ApiFailure } from '../../common/api';
import { subtle } from '../../common/components';
import { formatAge, formatInstant, formatNumber, formatPercent } from '../../common/format';

// Whether the run is going is the server's call (`runIsActive` on its clock): the browser's clock may differ.
const running = (s: ReconcileStatus | null): boolean => s?.run?.active === true;

export function Recalculation() {
  const [status, setStatus] = useState<ReconcileStatus | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [starting, setStarting] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const poll = useCallback(() => {
    call('reconcile/status', {})
      .then((s) => {
        setStatus(s);
        setFailure(null);
        if (running(s)) timer.current = setTimeout(poll, 2000);
      })
      .catch((e: unknown) => setFailure(toFailure(e)));
  }, []);
  useEffect(() => {
    poll();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [poll]);

  const start = async () => {
    setStarting(true);
    setFailure(null);
    try {
      const s = await call('reconcile/start', {});
      setStatus(s);
      if (timer.current) clearTimeout(timer.current);
      if (running(s)) timer.current = setTimeout(poll, 2000);
    } catch (e) {
      setFailure(toFailure(e));
    } finally {
      setStarting(false);
    }
  };

  const run = status?.run ?? null;
  return (
    <section aria-label="Recalculation" style={{ display: 'flex', flexDirection: 'column', gap: token('space.100'), maxWidth: 560 }}>
      <Heading size="small" as="h2">Recalculation</Heading>
      <p style={subtle}>
        Figures are kept fresh by issue events. A full recalculation rebuilds them from Jira in the background, for
        example after changing the projects in scope or the estimate field.
      </p>
      {failure && (
        <SectionMessage appearance="error" title="Recalculation status unavailable">
          <p>{failure.message}</p>
        </SectionMessage>
      )}
      {status?.current ? (
        <p style={{ margin: 0 }}>
          Current figures: {formatNumber(status.current.epics, 0)} epics and {formatNumber(status.current.items, 0)} issues,
          read from Jira {formatAge(status.current.reconciledAt)}.
        </p>
      ) : (
        status && <p style={{ margin: 0 }}>No full recalculation has run yet.</p>
      )}
      {run && running(status) && (
        <div role="status">
          <ProgressBar value={run.progress} ariaLabel={`Recalculation ${formatPercent(run.progress)} done`} />
          <p style={subtle}>
            Running ({run.phase}): {formatPercent(run.progress)} done, {formatNumber(run.epics, 0)} epics and{' '}
            {formatNumber(run.items, 0)} issues so far, started {formatAge(run.startedAt)}.
            {run.waitingUntil && ` Waiting for Jira's hourly request quota until ${formatInstant(run.waitingUntil)}.`}
            {run.estimatedFinishAt && ` Expected to finish around ${formatInstant(run.estimatedFinishAt)}.`}
          </p>
        </div>
      )}
      {run?.phase === 'failed' && (
        <SectionMessage appearance="error" title="The last recalculation failed">
          <p>{run.error ?? 'It stopped before finishing.'} The previous figures are still shown.</p>
        </SectionMessage>
      )}
      {run?.phase === 'done' && run.finishedAt && <p style={subtle}>Last recalculation finished {formatAge(run.finishedAt)}.</p>}
      <div>
        <Button onClick={() => void start()} isLoading={starting} isDisabled={running(status)}>
          Recalculate now
        </Button>
      </div>
    </section>
  );
}
