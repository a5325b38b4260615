/** The field's edit view, loaded by `main.tsx` once the first data call has left. */
import type { Preloaded } from '../../common/preload';
import { startApp } from '../../common/bootstrap';
import { FieldEdit } from './field-edit';

export function start(first: Preloaded<'destinations/list'>): void {
  void startApp((context) => <FieldEdit context={context} first={first} />);
}
