/**
 * The panel's first data, asked for before anything else of the surface loads (see `preload`): the issue key
 * comes from the context, so the alignment call starts the moment the context answers, while React and
 * Atlaskit are still being fetched and evaluated.
 */
import { earlyContext } from '../../common/early';
import { preload, type Preloaded } from '../../common/preload';

export function issueKeyOf(context: { extension?: unknown }): string {
  const issue = (context.extension as { issue?: { key?: unknown } } | undefined)?.issue;
  return typeof issue?.key === 'string' ? issue.key : '';
}

/** `undefined` when the context could not be read here: the panel then asks once it has its context. */
export const firstAlignment: Promise<Preloaded<'epic/alignment'> | undefined> = earlyContext().then(
  (context) => {
    const issueKey = issueKeyOf(context);
    return issueKey === '' ? undefined : preload('epic/alignment', { issueKey });
  },
  () => undefined,
);
