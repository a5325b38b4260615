// First: the data call starts before React, Atlaskit and the context (imports evaluate in order).
import { firstDestinations } from './first-data';
import { startApp } from '../../common/bootstrap';
import { FieldEdit } from './field-edit';

void startApp((context) => <FieldEdit context={context} first={firstDestinations} />);
