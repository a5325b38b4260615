/**
 * The Export CSV button. The CSV holds every row, not only the page shown: the rows are asked for when it is
 * clicked (`portfolio/export`, with the page's filters). The CSV code is not part of the page's first script:
 * it loads when the pointer or the keyboard focus reaches the button, so that it is usually there by the
 * click. The download must start while the click still counts as a user gesture (Forge's iframe sandbox
 * allows downloads only then), so the code and the rows are fetched side by side.
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type * as CsvModule from './portfolio-csv';
import { ChunkLoadError, chunkFailureText, loadChunk } from '../../common/lazy';
import { call, toFailure } from '../../common/api';
import type { Filters } from './filter-bar';

let csvCode: Promise<typeof CsvModule> | undefined;
/** The CSV code, loaded once; a failed load is asked for again next time. */
const loadCsvCode = (): Promise<typeof CsvModule> =>
  (csvCode ??= loadChunk('the CSV export', () => import('./portfolio-csv')).catch((e: unknown) => {
    csvCode = undefined;
    throw e;
  }));
const prefetch = (): void => {
  loadCsvCode().catch(() => undefined); // a failure is shown when the button is pressed
};

/** The rows could not be fetched: its message is already fit for the user. */
class RowsFailure extends Error {}

export function ExportCsvButton({ filters, disabled }: { filters: Filters; disabled: boolean }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);

  const exportNow = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const rows = call('portfolio/export', filters).catch((e: unknown) => {
        throw new RowsFailure(toFailure(e).message);
      });
      const [{ exportCsv }, data] = await Promise.all([loadCsvCode(), rows]);
      exportCsv(data);
    } catch (e) {
      if (!(e instanceof RowsFailure)) console.error('CSV export failed', e);
      if (mounted.current) setFailure(e instanceof ChunkLoadError ? chunkFailureText(e) : e instanceof RowsFailure ? e.message : 'The CSV file could not be made. Try again.');
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: token('space.100') }}>
      {failure && (
        <span role="alert" data-testid="csv-failure" style={{ color: token('color.text.danger'), font: token('font.body.small') }}>
          {failure}
        </span>
      )}
      <Button onClick={() => void exportNow()} onMouseEnter={prefetch} onFocus={prefetch} isLoading={busy} isDisabled={disabled}>
        Export CSV
      </Button>
    </div>
  );
}
