/** The admin page: only Jira administrators; destinations and settings. */
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { token } from '@atlaskit/tokens';
import { ErrorMessage, Loading } from '../../common/components';
import { LazyPart, lazyPart } from '../../common/lazy';
import { useResolver } from '../../common/use-resolver';
import { DestinationsTab } from './destinations-tab';

// The Settings tab is not on screen at first paint: its code loads when it is opened.
const SettingsTab = lazyPart('the settings', () => import('./settings-tab'), 'SettingsTab');
const Recalculation = lazyPart('the recalculation', () => import('./recalculation'), 'Recalculation');

export function AdminPage() {
  const { data: me, failure, reload } = useResolver('me/get', {});

  return (
    <main style={{ padding: token('space.300'), display: 'flex', flexDirection: 'column', gap: token('space.200'), maxWidth: 1200 }}>
      <Heading size="large" as="h1">Business destinations: administration</Heading>
      {failure && <ErrorMessage failure={failure} onRetry={reload} />}
      {!me && !failure && <Loading />}
      {me && !me.isAdmin && (
        <SectionMessage appearance="information" title="Only Jira administrators can manage business destinations">
          <p>
            You are signed in as {me.displayName}. Ask a Jira administrator to create or change destinations and
            settings. Everyone can see the portfolio on the Business destinations page.
          </p>
        </SectionMessage>
      )}
      {me?.isAdmin && (
        <Tabs id="admin-tabs">
          <TabList>
            <Tab>Destinations</Tab>
            <Tab>Settings</Tab>
          </TabList>
          <TabPanel>
            <div style={{ width: '100%', paddingTop: token('space.200') }}>
              <DestinationsTab />
            </div>
          </TabPanel>
          <TabPanel>
            <div style={{ width: '100%', paddingTop: token('space.200') }}>
              <LazyPart fallback={<Loading label="Loading settings" />}>
                <SettingsTab />
                <div style={{ marginTop: token('space.400') }}>
                  <Recalculation />
                </div>
              </LazyPart>
            </div>
          </TabPanel>
        </Tabs>
      )}
    </main>
  );
}
