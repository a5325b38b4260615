/**
 * What an `avi:jira:updated:issue` changelog says about the facts the rollups keep, so that a change can be
 * applied from the event alone, with no Jira request (Jira charges points for every issue read; events are
 * free). Each item names the new value: a status by id (`to`), a number field as text (`toString`, often
 * with `to` null), a parent by id and key, a resolution by id. Anything the rule cannot read for certain
 * answers `null`, and the caller reads the issue instead: re-reading costs a point or two; a wrong figure
 * costs trust.
 */
import { destinationIdOf } from './alignment';
import { dateOf } from './dates';
import { dayNumber } from './epic-figures';
import type { ChildMark } from './epic-members';
import { sizedEstimate } from './progress';
import { changeMatters, type ChangeItem } from './rollup-changes';
import { ISSUE_KEY, type EffectiveEstimate, type FieldDestination, type StatusCategory } from './types';

/** One changelog item with the values it changed to. */
export interface LoggedItem extends ChangeItem {
  from?: string | null;
  to?: string | null;
  /** A string or null as Jira sends it; typed `unknown` as every object literal inherits a `toString` method. */
  toString?: unknown;
}

/** What the site's ids mean: status ids' categories and the fields the figures read. */
export interface ChangeVocabulary {
  statusCategories: Readonly<Record<string, StatusCategory>>;
  estimate: EffectiveEstimate;
  appFieldId: string;
}

/** The facts a changelog sets; an absent key is a fact it leaves alone. */
export interface LoggedChange {
  statusCategory?: StatusCategory;
  /** `set`: a resolution was given where there was none (Jira stamps the resolution date then); `cleared`. */
  resolution?: 'set' | 'cleared';
  estimate?: number | null;
  summary?: string;
  destinationId?: FieldDestination;
  /** The new parent's key, or null when the parent was removed. */
  parentKey?: string | null;
}

const CATEGORIES: readonly StatusCategory[] = ['new', 'indeterminate', 'done'];
const DONE = 2;

/** The facts the items set, or null when one of them matters and cannot be read for certain. */
export function readChangelog(items: readonly LoggedItem[] | undefined, vocab: ChangeVocabulary): LoggedChange | null {
  if (items === undefined || items.length === 0) return null;
  const change: LoggedChange = {};
  const estimateId = vocab.estimate.kind === 'points' ? vocab.estimate.fieldId : vocab.estimate.kind === 'originalEstimate' ? 'timeoriginalestimate' : null;
  for (const item of items) {
    const id = (item.fieldId ?? '').toLowerCase();
    const name = (item.field ?? '').toLowerCase();
    if (id === 'status') {
      const category = typeof item.to === 'string' ? vocab.statusCategories[item.to] : undefined;
      if (category === undefined) return null;
      change.statusCategory = category;
    } else if (id === 'resolution') {
      const had = present(item.from) || present(item.fromString);
      const has = present(item.to) || present(item.toString);
      // One resolution for another: whether Jira moves the resolution date then is not documented.
      if (had === has) return null;
      change.resolution = has ? 'set' : 'cleared';
    } else if (estimateId !== null && item.fieldId === estimateId) {
      const estimate = estimateOfItem(item, vocab.estimate);
      if (estimate === undefined) return null;
      change.estimate = estimate;
    } else if (id === 'summary') {
      if (!present(item.toString)) return null;
      change.summary = item.toString;
    } else if (item.fieldId === vocab.appFieldId) {
      const destination = destinationOfItem(item);
      if (destination === undefined) return null;
      change.destinationId = destination;
    } else if (name === 'issueparentassociation' && item.fieldId === undefined) {
      // Company-managed parent change: `to` the parent's id, `toString` its key; both null when removed.
      if (!present(item.to) && !present(item.toString)) change.parentKey = null;
      else if (typeof item.toString === 'string' && ISSUE_KEY.test(item.toString)) change.parentKey = item.toString;
      else return null;
    } else if (changeMatters([item], { appFieldId: vocab.appFieldId, estimateFieldId: estimateId }) !== 'no') {
      // Type, project, key, workflow, another way of naming the parent, or a field Jira names only: read.
      return null;
    }
  }
  return change;
}

/**
 * A child's mark after the change, stamped `at`, or null when the change leaves a fact unknown (a status made
 * done with no resolution item: the resolution date may have been set before, and the mark does not say).
 * `changedAt` is the event's `fields.updated`: the resolution date Jira stamps on a resolution set with it.
 */
export function markAfter(mark: ChildMark, change: LoggedChange, changedAt: string, at: number): ChildMark | null {
  const [key, was, estimate, doneDay] = mark;
  if (was === -1) return null;
  const category = change.statusCategory === undefined ? was : (CATEGORIES.indexOf(change.statusCategory) as 0 | 1 | 2);
  let day: number | null;
  if (category !== DONE) day = null;
  else if (change.resolution === 'set') {
    const date = dateOf(changedAt);
    if (date === null) return null;
    day = dayNumber(date);
  } else if (change.resolution === 'cleared') day = null;
  else if (was === DONE) day = doneDay;
  else return null;
  const next: ChildMark = [key, category, change.estimate === undefined ? estimate : change.estimate, day, at];
  // A changelog never changes when the issue was created: the mark keeps its creation day.
  if (mark[5] !== undefined) next.push(mark[5]);
  return next;
}

/** The instant (ms) of an event's `fields.updated` (Jira writes `+1100`-style offsets), or null. */
export function changedAtOf(updated: unknown): number | null {
  if (typeof updated !== 'string') return null;
  const ms = Date.parse(updated.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : ms;
}

function present(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** The estimate an item sets (null: cleared), or undefined when its text is not a number the figures take. */
function estimateOfItem(item: LoggedItem, estimate: EffectiveEstimate): number | null | undefined {
  // Number fields often come with `to` null and the value in `toString`; time tracking in seconds in both.
  const raw = present(item.to) ? item.to : present(item.toString) ? item.toString : null;
  if (raw === null) return null;
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) return undefined;
  const value = Number(raw);
  const sized = sizedEstimate(estimate.kind === 'originalEstimate' ? value / 3600 : value);
  return sized === null ? undefined : sized;
}

/** The destination an app-field item sets, or undefined when its value is not one the app wrote. */
function destinationOfItem(item: LoggedItem): FieldDestination | undefined {
  if (!present(item.to) && !present(item.toString)) return null;
  if (!present(item.to)) return undefined;
  try {
    const value: unknown = JSON.parse(item.to);
    if (typeof value !== 'object' || value === null) return undefined;
    const id = destinationIdOf(value);
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
