import { startApp } from '../../common/bootstrap';
import { Loading } from '../../common/components';
import { LazyPart, lazyPart } from '../../common/lazy';
import { AdminPage } from './admin-page';
import { dialogOf } from './modal';

// Dialogs open in Forge's modal, a frame of their own: the page's first paint does not load them.
const Dialog = lazyPart('this dialog', () => import('./dialogs'), 'Dialog');

void startApp((context) => {
  const dialog = dialogOf(context);
  if (!dialog) return <AdminPage />;
  return (
    <LazyPart fallback={<Loading />}>
      <Dialog context={dialog} />
    </LazyPart>
  );
});
