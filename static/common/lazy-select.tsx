/**
 * Atlaskit's Select, loaded after first paint: react-select with its tags, menus and styles is the largest
 * thing a page draws that nobody uses before the page is on screen. Until its chunk arrives a field of the
 * same size shows the placeholder; if the chunk cannot be loaded the field says so.
 * Use as `import { Select } from '../../common/lazy-select'` wherever `import Select from '@atlaskit/select'` was.
 */
import type { ReactNode } from 'react';
import type AtlaskitSelect from '@atlaskit/select';
import { token } from '@atlaskit/tokens';
import { LazyPart, lazyPart, reloadPage } from './lazy';

const RealSelect = lazyPart('a picker', () => import('@atlaskit/select'), 'default');

const box = {
  boxSizing: 'border-box',
  minHeight: 40,
  display: 'flex',
  alignItems: 'center',
  gap: token('space.100'),
  padding: `0 ${token('space.100')}`,
  border: `${token('border.width')} solid ${token('color.border.input')}`,
  borderRadius: token('radius.medium'),
  background: token('color.background.input'),
  font: token('font.body'),
} as const;

function Placeholder({ text }: { text: ReactNode }) {
  return (
    <div aria-busy="true" data-testid="select-loading" style={{ ...box, color: token('color.text.subtlest') }}>
      {text ?? 'Select…'}
    </div>
  );
}

function Failed() {
  return (
    <div role="alert" style={{ ...box, color: token('color.text.danger'), font: token('font.body.small') }}>
      <span>This list could not be loaded.</span>
      <button
        type="button"
        onClick={reloadPage}
        style={{ all: 'unset', cursor: 'pointer', color: token('color.link'), textDecoration: 'underline' }}
      >
        Reload the page
      </button>
    </div>
  );
}

export const Select: typeof AtlaskitSelect = (props) => (
  <LazyPart fallback={<Placeholder text={props.placeholder} />} onError={<Failed />}>
    <RealSelect {...props} />
  </LazyPart>
);
