/**
 * The text Jira shows for the Business destination field wherever it shows the field as text (issue view,
 * navigator, List view, email, CSV): the manifest's formatter expression computes it in Jira. The field
 * holds `{id, name}`; `name` is a display copy and may be missing (a value written with the id alone), in
 * which case the id is all there is to show, said as an unknown destination.
 */

/** Unknown destinations are named this way on every surface (field, field edit, panel). */
export function unknownDestinationText(id: string): string {
  return `Unknown destination (${id})`;
}

/**
 * The manifest's `view.formatter.expression`, a Jira expression. It uses only `==`/`!=` against null,
 * `?:`, `+` on strings and property access, which read the same as JavaScript (a test checks that it and
 * `fieldValueText` agree).
 */
export const FIELD_FORMATTER_EXPRESSION =
  "value == null ? '' : value.name != null ? value.name : 'Unknown destination (' + value.id + ')'";

/** What the formatter gives for a stored field value; the local shell shows the field with it. */
export function fieldValueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const { id, name } = value as { id?: unknown; name?: unknown };
  if (name !== null && name !== undefined) return String(name);
  return unknownDestinationText(String(id));
}
