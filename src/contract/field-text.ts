/**
 * The text Jira shows for the Business destination field wherever it shows the field as text (issue view,
 * navigator, List view, email, CSV): the manifest's formatter expression computes it in Jira. The field
 * holds `{id, name}`; `name` is a display copy and may be missing (a value written with the id alone), in
 * which case the id is all there is to show, said as an unknown destination; with neither, nothing.
 */

/** Unknown destinations are named this way on every surface (field, field edit, panel). */
export function unknownDestinationText(id: string): string {
  return `Unknown destination (${id})`;
}

/**
 * The manifest's `view.formatter.expression`, a Jira expression. Total: an empty field, a value without a
 * name and a value without an id all give text, never a failed evaluation (Jira shows nothing for a formatter
 * that fails). `?.` because reading a key a map does not hold can fail in Jira; the local platform's strict
 * evaluator fails it too (a test evaluates this expression there and checks it against `fieldValueText`).
 */
export const FIELD_FORMATTER_EXPRESSION =
  "value?.name != null ? value.name : value?.id != null ? 'Unknown destination (' + value.id + ')' : ''";

/** What the formatter gives for a stored field value; the local shell shows the field with it. */
export function fieldValueText(value: unknown): string {
  if (value === null || typeof value !== 'object') return '';
  const { id, name } = value as { id?: unknown; name?: unknown };
  if (name !== null && name !== undefined) return String(name);
  if (id !== null && id !== undefined) return unknownDestinationText(String(id));
  return '';
}
