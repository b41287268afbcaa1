import { loadStackConfig } from '@flowledger/config';
import { startModdleSidecar } from './moddle-sidecar-server.js';

const config = loadStackConfig();
const bindAddress = `${config.host}:${config.moddle.port}`;
const log = (line: string): void => console.log(`${new Date().toISOString()} moddle-sidecar ${line}`);

const sidecar = await startModdleSidecar({ bindAddress, log });
log(`gRPC listening on ${bindAddress}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void sidecar.stop().then(() => process.exit(0));
  });
}
