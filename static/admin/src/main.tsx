import { lazy, Suspense } from 'react';
import { startApp } from '../../common/bootstrap';
import { Loading } from '../../common/components';
import { AdminPage } from './admin-page';
import { dialogOf } from './modal';

// Dialogs open in Forge's modal, a frame of their own: the page's first paint does not load them.
const Dialog = lazy(() => import('./dialogs').then((m) => ({ default: m.Dialog })));

void startApp((context) => {
  const dialog = dialogOf(context);
  if (!dialog) return <AdminPage />;
  return (
    <Suspense fallback={<Loading />}>
      <Dialog context={dialog} />
    </Suspense>
  );
});
