/** The portfolio page, loaded by `main.tsx` once the first data call has left. */
import type { Preloaded } from '../../common/preload';
import { startApp } from '../../common/bootstrap';
import { PortfolioPage } from './portfolio-page';

export function start(first: Preloaded<'portfolio/get'>): void {
  void startApp(() => <PortfolioPage first={first} />);
}
