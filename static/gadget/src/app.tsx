/**
 * The dashboard gadget, loaded by `main.tsx` once the context read has left. One resource for the gadget's view
 * and its edit view: Jira says which in `extension.entryPoint`.
 */
import { startApp } from '../../common/bootstrap';
import { GadgetView } from './gadget-view';
import { GadgetEdit } from './gadget-edit';
import { configurationOf } from './configuration';

export function start(): void {
  void startApp((context) => {
    const extension = context.extension as { entryPoint?: unknown; gadgetConfiguration?: unknown };
    const configuration = configurationOf(extension.gadgetConfiguration);
    return extension.entryPoint === 'edit' ? <GadgetEdit configuration={configuration} /> : <GadgetView configuration={configuration} />;
  });
}
