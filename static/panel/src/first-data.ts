/**
 * The panel's first data, asked for before anything else of the surface loads (see `preload`). The call
 * names no issue: the backend reads the issue Jira framed the panel on from the call's own context, so the
 * call leaves at once instead of after a context read.
 */
import { preload } from '../../common/preload';

export const firstAlignment = preload('epic/alignment', {});
