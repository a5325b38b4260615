/** The charts, loaded with `import()` when a trip or the scenery trend is first shown (the bundle budget). */
import { lazyPart } from '../../../common/lazy';

export const BurnUpChart = lazyPart('the burn-up chart', () => import('../../../common/charts/burn-up-chart'), 'BurnUpChart');
export const MeasureChart = lazyPart('the success measure chart', () => import('../../../common/charts/measure-chart'), 'MeasureChart');
export const SceneryChart = lazyPart('the scenery trend chart', () => import('../../../common/charts/scenery-chart'), 'SceneryChart');
