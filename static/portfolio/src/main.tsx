import { startApp } from '../../common/bootstrap';
import { PortfolioPage } from './portfolio-page';

void startApp(() => <PortfolioPage />);
