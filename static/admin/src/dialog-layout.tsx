/**
 * The frame of a dialog rendered inside Forge's modal: a title, a body that scrolls on its own, and a
 * footer that always stays in view (so the primary button is never below the fold, whatever the body holds).
 */
import type { FormEvent, ReactNode } from 'react';
import Heading from '@atlaskit/heading';
import { token } from '@atlaskit/tokens';

export function DialogLayout({
  title,
  children,
  footer,
  onSubmit,
}: {
  title: string;
  children: ReactNode;
  footer: ReactNode;
  onSubmit?: (e: FormEvent) => void;
}) {
  const content = (
    <>
      <header style={{ padding: `${token('space.300')} ${token('space.300')} ${token('space.200')}` }}>
        <Heading size="medium" as="h1">
          {title}
        </Heading>
      </header>
      <div data-testid="dialog-body" style={{ flex: '1 1 auto', overflowY: 'auto', padding: `${token('space.025')} ${token('space.300')}` }}>
        {children}
      </div>
      <footer
        style={{
          display: 'flex',
          justifyContent: 'flex-end',
          gap: token('space.100'),
          padding: `${token('space.200')} ${token('space.300')} ${token('space.300')}`,
        }}
      >
        {footer}
      </footer>
    </>
  );
  const style = { display: 'flex', flexDirection: 'column', height: '100vh', boxSizing: 'border-box', background: token('elevation.surface.overlay') } as const;
  return onSubmit ? (
    <form style={style} onSubmit={onSubmit} noValidate aria-label={title}>
      {content}
    </form>
  ) : (
    <section style={style} aria-label={title}>
      {content}
    </section>
  );
}
