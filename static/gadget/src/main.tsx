// The entry: the context read leaves now; React, Atlaskit and the gadget follow (see common/early.ts).
import { loadSurface } from '../../common/early';

loadSurface(() => import('./app'), ({ start }) => start());
