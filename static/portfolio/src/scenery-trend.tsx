/**
 * The portfolio's scenery trend: the off-route share of work in flight, week by week. Read and drawn only
 * when opened (`portfolio/scenery`; the chart's code is a lazily loaded chunk).
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import { ErrorMessage, Loading, subtle } from '../../common/components';
import { LazyPart } from '../../common/lazy';
import { Select } from '../../common/lazy-select';
import { useResolver } from '../../common/use-resolver';
import { SceneryChart } from './trip/charts';

export function SceneryTrendSection({ projectKey }: { projectKey: string | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <section aria-label="Scenery trend">
      <Button appearance="subtle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} scenery trend
      </Button>
      {open && <SceneryTrendBody initialProject={projectKey} />}
    </section>
  );
}

interface Option {
  value: string;
  label: string;
}

function SceneryTrendBody({ initialProject }: { initialProject: string | undefined }) {
  const [project, setProject] = useState(initialProject);
  const { data: trend, failure, reload } = useResolver('portfolio/scenery', project !== undefined ? { projectKey: project } : {});
  const options: Option[] = (trend?.projects ?? []).map((p) => ({ value: p, label: p }));
  return (
    <div data-testid="scenery-trend" style={{ paddingLeft: token('space.150'), display: 'flex', flexDirection: 'column', gap: token('space.100'), maxWidth: 760 }}>
      <div style={{ width: 220 }}>
        <Select<Option>
          aria-label="Project of the scenery trend"
          inputId="scenery-project"
          placeholder="All projects"
          isClearable
          options={options}
          value={options.find((o) => o.value === project) ?? (project ? { value: project, label: project } : null)}
          onChange={(o) => setProject(o ? o.value : undefined)}
        />
      </div>
      {failure && <ErrorMessage failure={failure} title="The scenery trend could not be loaded" onRetry={reload} />}
      {!trend && !failure && <Loading label="Loading the scenery trend" />}
      {trend && (
        <>
          <LazyPart fallback={<Loading label="Loading the chart" />}>
            <SceneryChart trend={trend} />
          </LazyPart>
          <p style={{ ...subtle, margin: 0 }}>{trend.limits}</p>
        </>
      )}
    </div>
  );
}
