import { startApp } from '../../common/bootstrap';
import { FieldEdit } from './field-edit';

void startApp((context) => <FieldEdit context={context} />);
