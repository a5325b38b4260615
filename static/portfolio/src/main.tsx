// The entry: the first data call leaves now (first-data, imported first); React, Atlaskit and the page
// follow (see common/early.ts).
import { firstPortfolio } from './first-data';
import { loadSurface } from '../../common/early';

loadSurface(() => import('./app'), ({ start }) => start(firstPortfolio));
