/**
 * Which changes of an issue the stored rollups depend on, judged from the event's changelog alone, so an
 * update that touches nothing the figures use (a description, a comment, an assignee, a label) costs no Jira
 * request at all.
 *
 * Why not the trigger's `filter.expression`: Forge evaluates a Jira expression over the event before invoking
 * the function, which would save the invocation too; but the app field's and the estimate field's ids differ
 * per site (a manifest cannot name them), and the local platform would have to evaluate Jira expressions
 * exactly as Forge does to be as strict as Forge. The rule lives here instead, tested, and runs first.
 */

/** One changelog item as Jira sends it (`fieldId` is missing on some, e.g. `IssueParentAssociation`, `Key`). */
export interface ChangeItem {
  field?: string;
  fieldId?: string;
  fromString?: string | null;
}

/** Changelog field ids and names the rollups read: status, done date, type, parent, project, key, epic summary. */
const WATCHED_SYSTEM = new Set([
  'status',
  'resolution',
  'issuetype',
  'project',
  'key',
  'summary',
  'parent',
  'issueparentassociation',
  'parent link',
  'epic link',
  'workflow',
]);

/** Field ids of the site's fields the rollups read; undefined while they are not known yet. */
export interface WatchedFields {
  appFieldId: string;
  /** The story points field, `timeoriginalestimate` when the estimate is the original estimate, or null. */
  estimateFieldId: string | null;
}

/** Fields that matter only when the site's settings say so (the estimate measure). */
const DEPENDS_ON_SETTINGS = new Set(['timeoriginalestimate']);

/**
 * `'no'` when no item matters, `'yes'` when one does, `'custom'` when the answer depends on which custom
 * fields the site uses for the destination and the estimate (call again with `watched`).
 */
export function changeMatters(items: readonly ChangeItem[] | undefined, watched?: WatchedFields): 'yes' | 'no' | 'custom' {
  // No changelog (created, deleted, or an update Jira did not detail): it may matter.
  if (items === undefined || items.length === 0) return 'yes';
  let custom = false;
  for (const item of items) {
    const id = (item.fieldId ?? '').toLowerCase();
    const name = (item.field ?? '').toLowerCase();
    if (WATCHED_SYSTEM.has(id) || WATCHED_SYSTEM.has(name)) return 'yes';
    if (id.startsWith('customfield_') || DEPENDS_ON_SETTINGS.has(id)) {
      if (watched === undefined) custom = true;
      else if (item.fieldId === watched.appFieldId || item.fieldId === watched.estimateFieldId) return 'yes';
    } else if (id === '' && name !== '') {
      // A named item without an id that is not a known system field: a field renamed or one Jira names only.
      return 'yes';
    }
  }
  return custom ? 'custom' : 'no';
}

/** The key an issue had before a move between projects, from the changelog's `Key` item. */
export function previousKey(items: readonly ChangeItem[] | undefined): string | null {
  const item = (items ?? []).find((i) => (i.field ?? '').toLowerCase() === 'key' || (i.fieldId ?? '').toLowerCase() === 'key');
  return item?.fromString ?? null;
}

/** Parent keys an issue left, from the changelog (Jira names the parent change in several ways). */
export function previousParents(items: readonly ChangeItem[] | undefined): string[] {
  const names = new Set(['issueparentassociation', 'parent', 'parent link', 'epic link']);
  return (items ?? [])
    .filter((i) => names.has((i.field ?? '').toLowerCase()) || (i.fieldId ?? '').toLowerCase() === 'parent')
    .flatMap((i) => (i.fromString ? [i.fromString] : []));
}

/** Whether the changelog says the issue changed parent, type or project (its old place must be undone). */
export function changedPlace(items: readonly ChangeItem[] | undefined): boolean {
  const names = new Set(['issueparentassociation', 'parent', 'parent link', 'epic link', 'issuetype', 'project', 'key']);
  return (items ?? []).some((i) => names.has((i.field ?? '').toLowerCase()) || names.has((i.fieldId ?? '').toLowerCase()));
}
