// The entry: the context read leaves now; React, Atlaskit and the page follow (see common/early.ts).
import { loadSurface } from '../../common/early';

loadSurface(() => import('./app'), ({ start }) => start());
