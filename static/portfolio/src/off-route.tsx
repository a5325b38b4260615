/** The off-route epics, listed on demand (only those the caller may browse; the others are counted). */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type { Portfolio } from '../../../src/contract';
import { IssueLink, subtle } from '../../common/components';

export function OffRouteDrillDown({ offRoute }: { offRoute: Portfolio['offRoute'] }) {
  const [open, setOpen] = useState(false);
  const total = offRoute.epics.length + offRoute.hiddenEpics;
  return (
    <section aria-label="Off-route epics">
      <Button appearance="subtle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} off-route epics ({total})
      </Button>
      {open && (
        <div style={{ paddingLeft: token('space.150') }}>
          {offRoute.epics.length > 0 && (
            <ul>
              {offRoute.epics.map((e) => (
                <li key={e.key}>
                  <IssueLink issueKey={e.key} /> {e.summary}
                </li>
              ))}
            </ul>
          )}
          {offRoute.hiddenEpics > 0 && <p style={subtle}>{offRoute.hiddenEpics} more you cannot see.</p>}
          {offRoute.orphanCount > 0 && <p style={subtle}>{offRoute.orphanCount} issues in flight have no epic.</p>}
          {total === 0 && offRoute.orphanCount === 0 && <p style={subtle}>No work in flight is off-route.</p>}
        </div>
      )}
    </section>
  );
}
