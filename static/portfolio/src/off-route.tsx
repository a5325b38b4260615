/** The off-route epics, read when the list is opened (only those the caller may browse; the others are counted). */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import { EPIC_PAGE_SIZE, type Portfolio } from '../../../src/contract';
import { call } from '../../common/api';
import { ErrorMessage, IssueLink, subtle } from '../../common/components';
import { useEpicPages } from './epic-pages';

export function OffRouteDrillDown({ offRoute, projectKey }: { offRoute: Portfolio['offRoute']; projectKey: string | undefined }) {
  const [open, setOpen] = useState(false);
  const total = offRoute.visibleEpics + offRoute.hiddenEpics;
  return (
    <section aria-label="Off-route epics">
      <Button appearance="subtle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} off-route epics ({total})
      </Button>
      {open && (
        <div style={{ paddingLeft: token('space.150') }}>
          {total > 0 && <OffRouteList projectKey={projectKey} />}
          {offRoute.orphanCount > 0 && <p style={subtle}>{offRoute.orphanCount} issues in flight have no epic.</p>}
          {total === 0 && offRoute.orphanCount === 0 && <p style={subtle}>No work in flight is off-route.</p>}
        </div>
      )}
    </section>
  );
}

function OffRouteList({ projectKey }: { projectKey: string | undefined }) {
  const { epics, last, failure, loading, more, retry } = useEpicPages((offset) =>
    call('portfolio/off-route', { offset, ...(projectKey !== undefined ? { projectKey } : {}) }),
  );
  if (failure) return <ErrorMessage failure={failure} title="The off-route epics could not be loaded" onRetry={retry} />;
  if (last === null) return <p style={subtle} aria-busy="true">Loading the off-route epics…</p>;
  const left = last.total - epics.length;
  return (
    <>
      {epics.length > 0 && (
        <ul>
          {epics.map((e) => (
            <li key={e.key}>
              <IssueLink issueKey={e.key} /> {e.summary}
            </li>
          ))}
        </ul>
      )}
      {last.nextOffset !== null && (
        <Button appearance="subtle" spacing="compact" onClick={more} isLoading={loading}>
          Show {Math.min(EPIC_PAGE_SIZE, left)} more of {left}
        </Button>
      )}
      {last.hiddenEpics > 0 && <p style={subtle}>{last.hiddenEpics} more you cannot see.</p>}
    </>
  );
}
