/**
 * One schema per resolver key: every payload is validated here, at the edge, once, before any service sees
 * it; the contract's payload types are inferred from these schemas. The schemas carry the real limits and
 * answer with the sentences a form shows on the field at fault; the domain keeps only the rules that need
 * stored data (a unique name, the status a save keeps) and trusts the types after that.
 *
 * Backend only: this module imports zod, which the UI bundles must not carry. The UIs import the limits and
 * the inferred types from `./index`.
 */
import { z } from 'zod';
import { EPIC_PAGE_SIZE, type ApiError, type ResolverKey } from '.';
import { CHECK_IN_STATUSES, MAX_CHECK_IN_NOTE } from '../domain/check-ins';
import { MAX_CONCERN_TEXT } from '../domain/concerns';
import { isIsoDate } from '../domain/dates';
import { DESCRIPTION_MAX, MEASURE_NAME_MAX, MEASURE_UNIT_MAX, NAME_MAX, isDestinationId } from '../domain/destination-rules';
import { isBlank, textProblem, type TextKind } from '../domain/text';
import {
  DESTINATION_STATUSES,
  ISSUE_KEY,
  LIVE_STATUSES,
  PROJECT_KEY,
  SETTINGS_LIMITS,
  VERDICTS,
  type DestinationDraft,
  type EstimateFieldSetting,
} from '../domain/types';

/** A check that answers with a sentence (or `null` when the value passes), as a zod refinement. */
function rule<T>(check: (value: T) => string | null) {
  return (value: T, ctx: z.RefinementCtx): void => {
    const problem = check(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  };
}
/** The app's one rule for typed text (no control characters, not invisible-only). */
const textRule = (kind: TextKind) => rule((value: string) => textProblem(value, kind));
const length = (text: string): number => [...text].length;
/** A value echoed in a sentence only when it is short plain text. */
const echo = (value: string): string => (value.length <= 40 && textProblem(value, 'line') === null ? `${value} ` : '');

const id = z.string().trim().refine(isDestinationId, 'must be a destination id such as D-3');
const version = z.number().int().min(0, 'must be a version number');
const issueKey = z.string().trim().regex(ISSUE_KEY, 'must be an issue key such as PAY-12');
const accountId = z.string().trim().min(1).max(128).superRefine(textRule('line'));
const empty = z.object({}).strict().optional().transform(() => ({}) as Record<string, never>);
/** Absent, or blank after trimming, is left out. */
const optionalText = (message: string) => z.string({ error: message }).trim().optional().transform((v) => (v === '' ? undefined : v));

// Atlassian account ids are opaque (`5b10a2844c20165700ede21g`, `557058:f58131cb-…`), so only the shape
// that could never be one is refused.
const ACCOUNT_ID = /^[^\s]{1,128}$/;
const isAccountId = (value: string): boolean => ACCOUNT_ID.test(value) && textProblem(value, 'line') === null;

const NAME_MISSING = 'Give the destination a name.';
const OWNER_MISSING = 'Choose the business owner: the person accountable for reaching this destination.';
const LEAD_INVALID = 'The delivery lead must be a person chosen from the list, or left empty.';
const TARGET_MISSING = 'Set a target date: the date by which the destination must be reached.';

const MEASURE_NAME_MISSING = 'Name the success measure: what the business will see, for example "merchants paid within one minute".';
const finite = (what: string) => z.number({ error: `The ${what} must be a number.` }).finite(`The ${what} must be a number.`);
/** What the business will see on arrival (`SuccessMeasure`): rebuilt, so nothing stray reaches storage. */
const successMeasure = z.object({
  name: z.string({ error: MEASURE_NAME_MISSING }).trim().superRefine(rule((name) => {
    if (isBlank(name)) return MEASURE_NAME_MISSING;
    const problem = textProblem(name, 'line');
    if (problem !== null) return `The measure's name ${problem}; retype it as plain text on one line.`;
    return length(name) > MEASURE_NAME_MAX ? `Shorten the measure's name to ${MEASURE_NAME_MAX} characters or fewer (it has ${length(name)}).` : null;
  })),
  unit: z.string({ error: 'The unit must be plain text, for example %.' }).trim().optional().transform((u) => u ?? '').superRefine(rule((unit) => {
    const problem = textProblem(unit, 'line');
    if (problem !== null) return `The unit ${problem}.`;
    return length(unit) > MEASURE_UNIT_MAX ? `Shorten the unit to ${MEASURE_UNIT_MAX} characters or fewer.` : null;
  })),
  baseline: finite('baseline'),
  target: finite('target'),
}, { error: 'The success measure must be an object with a name, a unit, a baseline and a target.' }).strict().superRefine((m, ctx) => {
  if (m.baseline === m.target) ctx.addIssue({ code: 'custom', path: ['target'], message: 'The target must differ from the baseline, or there is nothing to reach.' });
}).transform((m) => ({ name: m.name, unit: m.unit, baseline: m.baseline, target: m.target }));

const draft = z.object({
  name: z.string({ error: NAME_MISSING }).trim().superRefine(rule((name) => {
    if (isBlank(name)) return NAME_MISSING;
    const problem = textProblem(name, 'line');
    if (problem !== null) return `The name ${problem}; retype it as plain text on one line.`;
    return length(name) > NAME_MAX ? `Shorten the name to ${NAME_MAX} characters or fewer (it has ${length(name)}).` : null;
  })),
  description: z.string({ error: 'The description must be plain text.' }).optional()
    .transform((d) => (d ?? '').replace(/\r\n?/g, '\n').trim())
    .superRefine(rule((description) => {
      if (length(description) > DESCRIPTION_MAX) return `Shorten the description to ${DESCRIPTION_MAX} characters or fewer (it has ${length(description)}).`;
      const problem = textProblem(description, 'multiline');
      return problem === null ? null : `The description ${problem}; retype it as plain text.`;
    })),
  businessOwner: z.string({ error: OWNER_MISSING }).trim().refine(isAccountId, OWNER_MISSING),
  deliveryLead: optionalText(LEAD_INVALID).refine((v) => v === undefined || isAccountId(v), LEAD_INVALID),
  targetDate: z.string({ error: TARGET_MISSING }).superRefine(rule((date) => {
    if (date === '') return TARGET_MISSING;
    return isIsoDate(date) ? null : `The target date ${echo(date)}is not a real calendar date; use YYYY-MM-DD.`;
  })),
  startDate: optionalText('The start date must be a date as YYYY-MM-DD, or left empty.').superRefine(rule((date) => (
    date === undefined || isIsoDate(date) ? null : `The start date ${echo(date)}is not a real calendar date; use YYYY-MM-DD or leave it empty.`
  ))),
  status: z.enum(LIVE_STATUSES, {
    error: (issue) => (issue.input === 'archived' ? 'To archive a destination use Archive, not Save.' : `The status must be one of ${LIVE_STATUSES.join(', ')}.`),
  }).optional(),
  successMeasure: successMeasure.optional(),
}, { error: 'The destination is missing or not an object.' }).strict().superRefine((d, ctx) => {
  if (d.startDate !== undefined && isIsoDate(d.startDate) && isIsoDate(d.targetDate) && d.startDate > d.targetDate) {
    ctx.addIssue({ code: 'custom', path: ['startDate'], message: `The start date ${d.startDate} is after the target date ${d.targetDate}; move one of them.` });
  }
}) satisfies z.ZodType<DestinationDraft, unknown>;

const projectKeyProblem = (raw: unknown): string => `"${String(raw)}" is not a Jira project key (2 to 10 letters, digits or _, starting with a letter).`;
const projectKeys = z.array(
  z.string({ error: (issue) => projectKeyProblem(issue.input) }).trim().toUpperCase().regex(PROJECT_KEY, { error: (issue) => projectKeyProblem(issue.input) }),
  { error: 'Projects in scope must be a list of project keys (empty for every project).' },
).max(1000).superRefine((keys, ctx) => {
  const index = keys.findIndex((key, i) => keys.indexOf(key) !== i);
  if (index >= 0) ctx.addIssue({ code: 'custom', path: [index], message: `Project ${keys[index]} is listed twice.` });
});

const ESTIMATE_KINDS = ['auto', 'points', 'originalEstimate', 'none'] as const satisfies ReadonlyArray<EstimateFieldSetting['kind']>;
const CUSTOM_FIELD_ID = /^customfield_\d+$/;
const KIND_PROBLEM = `The estimate must be one of ${ESTIMATE_KINDS.join(', ')}.`;
const POINTS_FIELD_MISSING = 'Choose the story points field (an id like customfield_10016).';
// Rebuilt rather than passed through, so stray properties never reach storage.
const estimateField = z.object({
  kind: z.enum(ESTIMATE_KINDS, { error: KIND_PROBLEM }),
  fieldId: z.string({ error: POINTS_FIELD_MISSING }).optional(),
}, { error: KIND_PROBLEM }).superRefine((e, ctx) => {
  if (e.kind === 'points' && (e.fieldId === undefined || !CUSTOM_FIELD_ID.test(e.fieldId))) {
    ctx.addIssue({ code: 'custom', path: ['fieldId'], message: POINTS_FIELD_MISSING });
  }
}).transform((e): EstimateFieldSetting => (e.kind === 'points' ? { kind: 'points', fieldId: e.fieldId ?? '' } : { kind: e.kind }));

/** A whole number within `limits`, answering `message` for anything else. */
const wholeWithin = (limits: { min: number; max: number }, message: string) =>
  z.number({ error: message }).int(message).min(limits.min, message).max(limits.max, message);

const { throughputWeeks: weeks, onTrackChance: onTrack, atRiskChance: atRisk, checkInCadenceWeeks: cadence } = SETTINGS_LIMITS;
const settings = z.object({
  projectKeys,
  estimateField,
  throughputWeeks: wholeWithin(weeks, `The throughput window must be a whole number of weeks from ${weeks.min} to ${weeks.max}.`),
  // Optional so callers that predate them keep working: an absent threshold keeps its current value.
  onTrackChance: wholeWithin(onTrack, `"On track" needs a whole-percent chance from ${onTrack.min} to ${onTrack.max}.`).optional(),
  atRiskChance: wholeWithin(atRisk, `"At risk" needs a whole-percent chance from ${atRisk.min} to ${atRisk.max}.`).optional(),
  checkInCadenceWeeks: wholeWithin(cadence, `The check-in cadence must be a whole number of weeks from ${cadence.min} to ${cadence.max}.`).optional(),
}, { error: 'The settings are missing or not an object.' }).strict();

// The portfolio's filters, shared by every portfolio call, so a list or a link says what its page said.
const projectKey = z.string().regex(PROJECT_KEY, 'must be a project key').optional();
const portfolioFilters = {
  projectKey,
  owner: accountId.optional(),
  status: z.array(z.enum(DESTINATION_STATUSES)).max(DESTINATION_STATUSES.length).optional(),
};
const page = wholeWithin({ min: 1, max: 100_000 }, 'The page must be a whole number from 1.').optional();
const LIMIT_MAX = EPIC_PAGE_SIZE * 4;
const listPage = {
  offset: wholeWithin({ min: 0, max: 1_000_000 }, 'The offset must be a whole number from 0.').optional(),
  limit: wholeWithin({ min: 1, max: LIMIT_MAX }, `The limit must be a whole number from 1 to ${LIMIT_MAX}.`).optional(),
};

// The trip over time (`./trip`). Texts are checked again by the domain rules, which also know the roles.
const checkInDraft = {
  status: z.enum(CHECK_IN_STATUSES, { error: `The status must be one of ${CHECK_IN_STATUSES.join(', ')}.` }),
  note: z.string({ error: 'The note must be plain text.' }).max(MAX_CHECK_IN_NOTE * 2, `Shorten the note to ${MAX_CHECK_IN_NOTE} characters or fewer.`),
  measure: z.number({ error: 'The measure must be a number.' }).finite('The measure must be a number.').optional(),
};
const concernText = z.string({ error: 'Write the concern as plain text.' }).max(MAX_CONCERN_TEXT * 2, `Shorten the text to ${MAX_CONCERN_TEXT} characters or fewer.`);
const concernId = z.string().regex(/^C-[1-9]\d{0,8}$/, 'must be a concern id such as C-3');

export const PAYLOADS = {
  'me/get': empty,
  'users/search': z.object({ query: z.string().trim().max(100).superRefine(textRule('line')) }).strict(),
  'destinations/list': z.object({ includeArchived: z.boolean().optional(), withEpicCounts: z.boolean().optional() }).strict().optional().transform((p) => p ?? {}),
  'destinations/get': z.object({ id }).strict(),
  'destinations/create': z.object({ draft }).strict(),
  'destinations/update': z.object({ id, version, draft }).strict(),
  'destinations/reorder': z.object({ orderedIds: z.array(id).max(1000) }).strict(),
  'destinations/archive': z.object({ id, version }).strict(),
  'destinations/restore': z.object({ id, version }).strict(),
  'destinations/delete': z.object({ id, version }).strict(),
  // Left out by the issue panel: the issue is the one Jira put in the invocation's context (`extension.issue`).
  'epic/alignment': z.object({ issueKey: issueKey.optional() }).strict(),
  'epic/set-destination': z.object({ issueKey, destinationId: id.nullable() }).strict(),
  'portfolio/get': z.object({ ...portfolioFilters, page }).strict().optional().transform((p) => p ?? {}),
  'portfolio/epics': z.object({ destinationId: id, projectKey, ...listPage }, { error: 'Say which destination\'s epics to list.' }).strict(),
  'portfolio/off-route': z.object({ projectKey, ...listPage }).strict().optional().transform((p) => p ?? {}),
  'portfolio/jql': z.object({ ...portfolioFilters, verdict: z.enum(VERDICTS, { error: `The verdict must be one of ${VERDICTS.join(', ')}.` }) }, { error: 'Say which verdict to link.' }).strict(),
  'portfolio/export': z.object(portfolioFilters).strict().optional().transform((p) => p ?? {}),
  'reconcile/start': empty,
  'reconcile/status': empty,
  'settings/get': empty,
  'settings/save': z.object({ settings, version }).strict(),
  'trip/history': z.object({ destinationId: id }, { error: 'Say which destination\'s trip to show.' }).strict(),
  'trip/baseline': z.object({ destinationId: id }, { error: 'Say which destination to baseline.' }).strict(),
  'trip/voices': z.object({ destinationId: id }, { error: 'Say which destination\'s check-ins to show.' }).strict(),
  'trip/check-in': z.object({ destinationId: id, ...checkInDraft }, { error: 'Say which destination to check in on.' }).strict(),
  'trip/respond': z.object({ destinationId: id, concernId, answer: concernText.optional(), close: z.boolean().optional().transform((c) => c ?? false) }, { error: 'Say which concern to answer.' }).strict(),
  'portfolio/scenery': z.object({ projectKey }).strict().optional().transform((p) => p ?? {}),
  'epic/trip-history': z.object({ issueKey }).strict(),
  'epic/voices': z.object({ issueKey }).strict(),
  'concern/raise': z.object({ issueKey, text: concernText }, { error: 'Say which epic the concern is raised from.' }).strict(),
  'gadget/card': z.object({ destinationId: id.nullable() }, { error: 'Say which destination the card shows, or none for the portfolio.' }).strict(),
} satisfies Record<ResolverKey, z.ZodType>;

/** The payload a handler receives: what the schema of `K` gives after validation. */
export type ParsedPayload<K extends ResolverKey> = z.output<(typeof PAYLOADS)[K]>;

// Forms edit the object under these keys, so a field is named within it: `draft.name` is answered as `name`.
const FORM_OBJECTS = new Set<PropertyKey>(['draft', 'settings']);

/**
 * The first problem in a payload, for a person: a sentence written in a schema above (it ends with a full
 * stop) is said as it is; zod's own fragments ("must be a version number") follow the field's path.
 */
export function describeInvalid(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  if (!issue) return { code: 'INVALID_INPUT', message: 'The request is not valid.' };
  const path = issue.path.length > 1 && FORM_OBJECTS.has(issue.path[0] as PropertyKey) ? issue.path.slice(1) : issue.path;
  const field = path.map(String).join('.');
  const message = issue.message.endsWith('.') ? issue.message : `${field === '' ? 'The request' : field} ${issue.message}`.trim();
  return field === '' ? { code: 'INVALID_INPUT', message } : { code: 'INVALID_INPUT', message, field };
}
