// First: the context read and the data call start before React and Atlaskit (imports evaluate in order).
import { firstAlignment, issueKeyOf } from './first-data';
import { startApp } from '../../common/bootstrap';
import { Panel } from './panel';

void firstAlignment.then((first) => startApp((context) => <Panel issueKey={issueKeyOf(context)} first={first} />));
