/** Site metadata: the fields (with the app's field as Jira builds it), the statuses and the issue types. */
import { json, type AddRoute } from './http';
import type { SiteState } from './state';

export function metaRoutes(s: SiteState, route: AddRoute): void {
  route('GET', '/rest/api/3/field', () => {
    const system = (id: string, name: string, schema: Record<string, unknown>, clauseNames: string[]): Record<string, unknown> => ({
      id, key: id, name, custom: false, orderable: true, navigable: true, searchable: true, clauseNames, schema,
    });
    return json(200, [
      system('summary', 'Summary', { type: 'string', system: 'summary' }, ['summary']),
      system('status', 'Status', { type: 'status', system: 'status' }, ['status']),
      system('issuetype', 'Issue Type', { type: 'issuetype', system: 'issuetype' }, ['issuetype', 'type']),
      system('parent', 'Parent', { type: 'issuelink', system: 'parent' }, ['parent']),
      system('project', 'Project', { type: 'project', system: 'project' }, ['project']),
      system('created', 'Created', { type: 'datetime', system: 'created' }, ['created', 'createdDate']),
      system('updated', 'Updated', { type: 'datetime', system: 'updated' }, ['updated', 'updatedDate']),
      system('resolutiondate', 'Resolved', { type: 'datetime', system: 'resolutiondate' }, ['resolutiondate', 'resolved']),
      system('resolution', 'Resolution', { type: 'resolution', system: 'resolution' }, ['resolution']),
      system('timeoriginalestimate', 'Original estimate', { type: 'number', system: 'timeoriginalestimate' }, ['originalEstimate', 'timeoriginalestimate']),
      {
        id: s.sp.id, key: s.sp.id, name: s.sp.name, custom: true, orderable: true, navigable: true, searchable: true,
        clauseNames: [`cf[${s.sp.id.replace('customfield_', '')}]`, s.sp.name],
        schema: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points', customId: Number(s.sp.id.replace('customfield_', '')) },
      },
      {
        id: s.appFieldId, key: s.appFieldKey, name: s.appFieldName, custom: true, orderable: true, navigable: true, searchable: true,
        clauseNames: [`cf[${s.appFieldId.replace('customfield_', '')}]`, s.appFieldName],
        schema: { type: 'any', custom: s.appFieldType, customId: Number(s.appFieldId.replace('customfield_', '')) },
      },
    ]);
  });

  // "Get all statuses": every status with its category, as a list (each status one object for the points quota).
  route('GET', '/rest/api/3/status', () => json(200, s.cat.statuses.map((st) => s.cat.statusBean(st.name))));

  route('GET', '/rest/api/3/issuetype', () => json(200, s.cat.issueTypes.map((t) => s.cat.issueTypeBean(t.name))));
}
