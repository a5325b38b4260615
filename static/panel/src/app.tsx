/** The issue panel, loaded by `main.tsx` once the first data call has left. */
import type { Preloaded } from '../../common/preload';
import { startApp } from '../../common/bootstrap';
import { Panel } from './panel';

export function start(first: Preloaded<'epic/alignment'>): void {
  void startApp(() => <Panel first={first} />);
}
