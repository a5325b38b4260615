/** The portfolio's first page, asked for before anything else of the surface loads (see `preload`). */
import { preload } from '../../common/preload';

export const firstPortfolio = preload('portfolio/get', {});
