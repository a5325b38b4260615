import { startApp } from '../../common/bootstrap';
import { AdminPage } from './admin-page';

void startApp(() => <AdminPage />);
