/**
 * What the gadget keeps in Jira's gadget configuration (`extension.gadgetConfiguration`, saved by the edit
 * view with `view.submit`): the destination its card shows, or none for the portfolio's headline. A gadget
 * never configured has an empty configuration (`{}`); anything else unreadable is treated the same.
 */
export interface GadgetConfiguration {
  /** `undefined`: not configured yet; `null`: the portfolio's headline. */
  destinationId: string | null | undefined;
}

export function configurationOf(raw: unknown): GadgetConfiguration {
  if (typeof raw !== 'object' || raw === null || !('destinationId' in raw)) return { destinationId: undefined };
  const id = (raw as { destinationId: unknown }).destinationId;
  return { destinationId: typeof id === 'string' && id !== '' ? id : id === null ? null : undefined };
}
