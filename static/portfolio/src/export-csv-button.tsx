/** The Export CSV button. The CSV code loads when the button is pressed, not with the page. */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type { Portfolio } from '../../../src/contract';
import { ChunkLoadError, chunkFailureText, loadChunk } from '../../common/lazy';

export function ExportCsvButton({ portfolio }: { portfolio: Portfolio }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);

  const exportNow = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const { exportCsv } = await loadChunk('the CSV export', () => import('./portfolio-csv'));
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
      <Button onClick={() => void exportNow()} isLoading={busy} isDisabled={portfolio.destinations.length === 0}>
        Export CSV
      </Button>
    </div>
  );
}
