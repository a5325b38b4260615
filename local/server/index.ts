/** The local Forge host: `startServer` serves the shell, the surfaces and the bridge endpoints. */
export { startServer, injectBridge, type PlatformPort, type ServerOptions, type RunningServer } from './server';
