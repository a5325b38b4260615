import { startApp } from '../../shared/bootstrap';
import { AdminPage } from './admin-page';

void startApp(() => <AdminPage />);
