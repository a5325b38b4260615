// First: the data call starts before React, Atlaskit and the context (imports evaluate in order).
import { firstPortfolio } from './first-data';
import { startApp } from '../../common/bootstrap';
import { PortfolioPage } from './portfolio-page';

void startApp(() => <PortfolioPage first={firstPortfolio} />);
