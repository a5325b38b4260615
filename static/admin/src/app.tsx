/** The admin page (or one of its dialogs, in Forge's modal), loaded by `main.tsx` once the context read has left. */
import { startApp } from '../../common/bootstrap';
import { Loading } from '../../common/components';
import { LazyPart, lazyPart } from '../../common/lazy';
import { AdminPage } from './admin-page';
import { dialogOf } from './modal';

// Dialogs open in Forge's modal, a frame of their own: the page's first paint does not load them.
const Dialog = lazyPart('this dialog', () => import('./dialogs'), 'Dialog');

export function start(): void {
  void startApp((context) => {
    const dialog = dialogOf(context);
    if (!dialog) return <AdminPage />;
    return (
      <LazyPart fallback={<Loading />}>
        <Dialog context={dialog} />
      </LazyPart>
    );
  });
}
