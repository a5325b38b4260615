/** The portfolio's filters: project, owner and status; choices grow with what has been seen. */
import { Select } from '../../common/lazy-select';
import { token } from '@atlaskit/tokens';
import { LIVE_STATUSES, type DestinationStatus, type PayloadOf } from '../../../src/contract';
import { STATUS_LABEL } from '../../common/labels';

export type Filters = NonNullable<PayloadOf<'portfolio/get'>>;
interface Option<V = string> {
  value: V;
  label: string;
}

const STATUS_OPTIONS: Option<DestinationStatus>[] = LIVE_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }));

export function FilterBar({
  filters,
  onChange,
  projects,
  owners,
}: {
  filters: Filters;
  onChange: (f: Filters) => void;
  projects: Map<string, string>;
  owners: Map<string, string>;
}) {
  const projectOptions = [...projects].sort().map(([value, label]) => ({ value, label }));
  const ownerOptions = [...owners].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  const without = <K extends keyof Filters>(key: K): Filters => {
    const next = { ...filters };
    delete next[key];
    return next;
  };
  return (
    <div role="search" aria-label="Filter destinations" style={{ display: 'flex', gap: token('space.150'), flexWrap: 'wrap' }}>
      <div style={{ width: 200 }}>
        <Select<Option>
          aria-label="Project"
          inputId="filter-project"
          placeholder="All projects"
          isClearable
          options={projectOptions}
          value={projectOptions.find((o) => o.value === filters.projectKey) ?? null}
          onChange={(o) => onChange(o ? { ...filters, projectKey: o.value } : without('projectKey'))}
        />
      </div>
      <div style={{ width: 220 }}>
        <Select<Option>
          aria-label="Owner"
          inputId="filter-owner"
          placeholder="All owners"
          isClearable
          options={ownerOptions}
          value={ownerOptions.find((o) => o.value === filters.owner) ?? null}
          onChange={(o) => onChange(o ? { ...filters, owner: o.value } : without('owner'))}
        />
      </div>
      <div style={{ minWidth: 240 }}>
        <Select<Option<DestinationStatus>, true>
          aria-label="Status"
          inputId="filter-status"
          placeholder="Any status"
          isMulti
          options={STATUS_OPTIONS}
          value={STATUS_OPTIONS.filter((o) => filters.status?.includes(o.value))}
          onChange={(os) => onChange(os.length ? { ...filters, status: os.map((o) => o.value) } : without('status'))}
        />
      </div>
    </div>
  );
}
