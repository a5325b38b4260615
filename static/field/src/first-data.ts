/** The field's destination list, asked for before anything else of the surface loads (see `preload`). */
import { preload } from '../../common/preload';

export const firstDestinations = preload('destinations/list', { includeArchived: true });
