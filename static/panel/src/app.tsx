/** The issue panel, loaded by `main.tsx` once the context read (and with it the first data call) has left. */
import type { Preloaded } from '../../common/preload';
import { startApp } from '../../common/bootstrap';
import { issueKeyOf } from './first-data';
import { Panel } from './panel';

export function start(first: Preloaded<'epic/alignment'> | undefined): void {
  void startApp((context) => <Panel issueKey={issueKeyOf(context)} first={first} />);
}
