/**
 * The Export CSV button. The CSV code is not part of the page's first script: it loads when the pointer or
 * the keyboard focus reaches the button, so that it is usually there by the click. The click must start
 * the download while it still counts as a user gesture (Forge's iframe sandbox allows downloads only then).
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type { Portfolio } from '../../../src/contract';
import type * as CsvModule from './portfolio-csv';
import { ChunkLoadError, chunkFailureText, loadChunk } from '../../common/lazy';

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

export function ExportCsvButton({ portfolio }: { portfolio: Portfolio }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);

  const exportNow = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const { exportCsv } = await loadCsvCode();
      exportCsv(portfolio);
    } catch (e) {
      console.error('CSV export failed', e);
      if (mounted.current) setFailure(e instanceof ChunkLoadError ? chunkFailureText(e) : 'The CSV file could not be made. Try again.');
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
      <Button onClick={() => void exportNow()} onMouseEnter={prefetch} onFocus={prefetch} isLoading={busy} isDisabled={portfolio.destinations.length === 0}>
        Export CSV
      </Button>
    </div>
  );
}
