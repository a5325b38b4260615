// The entry: the first data call leaves now (first-data, imported first); React, Atlaskit and the panel
// follow (see common/early.ts).
import { firstAlignment } from './first-data';
import { loadSurface } from '../../common/early';

loadSurface(() => import('./app'), ({ start }) => start(firstAlignment));
