/**
 * What people read for a destination status or an arrival verdict: sentence case, as Atlassian writes
 * labels and options ("On track", "Draft"). The domain keeps its lower-case values; this is their one
 * display mapping. Lozenges get these too (Atlaskit's Lozenge shows its text in capitals by itself).
 */
import type { CheckInRole, CheckInStatus, DestinationStatus, Verdict } from '../../src/contract';

export const STATUS_LABEL: Readonly<Record<DestinationStatus, string>> = {
  draft: 'Draft',
  active: 'Active',
  achieved: 'Achieved',
  archived: 'Archived',
};

export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  'on track': 'On track',
  'at risk': 'At risk',
  'off track': 'Off track',
  'no data': 'No data',
  arrived: 'Arrived',
};

export const CHECK_IN_STATUS_LABEL: Readonly<Record<CheckInStatus, string>> = {
  'on track': 'On track',
  'at risk': 'At risk',
  'off track': 'Off track',
};

export const ROLE_LABEL: Readonly<Record<CheckInRole, string>> = {
  owner: 'Business owner',
  lead: 'Delivery lead',
};
