import { startApp } from '../../shared/bootstrap';
import { FieldEdit } from './field-edit';

void startApp((context) => <FieldEdit context={context} />);
