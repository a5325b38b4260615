// The entry: the context read and the first data call leave now; React, Atlaskit and the panel follow
// (see common/early.ts). The panel's call waits for the context (it names the issue), so the libraries are
// evaluated only once it has left: evaluating them takes the page's only thread for 100-150 ms, which
// held the call back by as much when they went first (measured with `npm run bench:ui`).
import { loadSurface } from '../../common/early';
import { firstAlignment } from './first-data';

loadSurface(() => import('./app'), ({ start }) => void firstAlignment.then(start), firstAlignment);
