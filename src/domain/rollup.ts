/**
 * The portfolio computed from the issues themselves (a live view, before any rollup is stored): items are
 * turned into per-epic figures (`epic-figures.ts`) and assembled by the same rules as stored rollups
 * (`portfolio.ts`), so both read paths give the same figures.
 */
import { figuresOf, orphanOf } from './epic-figures';
import { assemblePortfolio, epicRollupOf, MAX_REFS, type RollupSettings, scopeOf } from './portfolio';
import type { ChildFacts, Destination, Epic, EpicEntry, EpicRollup, IsoDate, OrphanEntry, PortfolioRollup, WorkItem } from './types';

export interface RollupInput {
  destinations: readonly Destination[];
  epics: readonly Epic[];
  items: readonly WorkItem[];
  settings: RollupSettings;
  today: IsoDate;
  /** Also give a rollup for archived destinations (their epics still count as off-route). */
  includeArchived?: boolean;
  /** Narrows the view to these projects (each in scope); absent = the whole scope. */
  projectFilter?: readonly string[];
}

type LiveEpic = Epic & Pick<EpicEntry, 'progress' | 'doneWeeks' | 'unestimatedKeys'>;

/** Each epic with the figures of its children among `items`, in-flight orphans, and the children of no epic given. */
function figuresFromItems(epics: readonly Epic[], items: readonly WorkItem[], today: IsoDate) {
  const epicKeys = new Set(epics.map((e) => e.key));
  const children: ChildFacts[] = [];
  const orphans: OrphanEntry[] = [];
  const unknownParent: WorkItem[] = [];
  for (const item of items) {
    const { epicKey, ...facts } = item;
    const child: ChildFacts = { ...facts, parentKey: epicKey };
    if (epicKey === null) orphans.push(orphanOf(child, 0));
    else if (epicKeys.has(epicKey)) children.push(child);
    else unknownParent.push(item);
  }
  // A live view lists every unestimated key it may show, not the few a stored epic keeps.
  const figures = figuresOf([...epicKeys], children, today, MAX_REFS, false);
  const withFigures: LiveEpic[] = epics.map((e) => ({ ...e, ...(figures.get(e.key) as NonNullable<ReturnType<typeof figures.get>>) }));
  return { epics: withFigures, orphans, unknownParent };
}

export function rollupPortfolio(input: RollupInput): PortfolioRollup {
  const { epics, orphans, unknownParent } = figuresFromItems(input.epics, input.items, input.today);
  const { inView } = scopeOf(input.settings, input.projectFilter);
  // An unreadable epic is reported, unless its child is outside a filtered view anyway.
  const reported = unknownParent.filter((i) => input.projectFilter === undefined || inView(i.projectKey));
  return assemblePortfolio({
    ...input,
    epics,
    orphans,
    unreadableEpicChildren: { count: reported.length, keys: [...new Set(reported.map((i) => i.epicKey as string))] },
  });
}

/**
 * One epic seen from its destination (see `epicRollupOf`). `epics` and `items` need only cover the epics on
 * the same destination (and their children); `epic` is added to `epics` when missing.
 */
export function rollupEpic(input: RollupInput & { epic: Epic }): { rollup: EpicRollup; members: Epic[] } {
  const epics = input.epics.some((e) => e.key === input.epic.key) ? input.epics : [...input.epics, input.epic];
  const withFigures = figuresFromItems(epics, input.items, input.today).epics;
  const epic = withFigures.find((e) => e.key === input.epic.key) as LiveEpic;
  return epicRollupOf({ epic, epics: withFigures, destinations: input.destinations, settings: input.settings, today: input.today });
}
