import { startApp } from '../../shared/bootstrap';
import { PortfolioPage } from './portfolio-page';

void startApp(() => <PortfolioPage />);
