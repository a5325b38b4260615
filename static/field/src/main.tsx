// The entry: the first data call leaves now (first-data, imported first); React, Atlaskit and the editor
// follow (see common/early.ts).
import { firstDestinations } from './first-data';
import { loadSurface } from '../../common/early';

loadSurface(() => import('./app'), ({ start }) => start(firstDestinations));
