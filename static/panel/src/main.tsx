import { startApp } from '../../common/bootstrap';
import { Panel } from './panel';

void startApp((context) => {
  const issue = (context.extension as { issue?: { key?: string } }).issue;
  return <Panel issueKey={issue?.key ?? ''} />;
});
