import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { devToken, ModelingClient } from '../../../support/modeling-client.js';
import { startCommandService, type CommandServiceProcess } from '../../../support/command-service-process.js';
import { openTopicReader, type TopicReader } from './diagram-topic.js';

/** An editor of a fresh tenant reaching two command-service processes, and the tenant's topic. */
export interface TwoProcesses {
  tenant: string;
  /** Through Envoy, to the stack's command service. */
  viaEnvoy: ModelingClient;
  /** Straight to a second command-service process, started for the file. */
  direct: ModelingClient;
  topic: TopicReader;
}

/**
 * For a spec file whose invariant must hold across processes: starts a second command service
 * before its tests (`name` tells its logs and topic reader apart) and stops it after them. The
 * fields are set once `beforeAll` has run.
 */
export function useTwoProcesses(name: string): TwoProcesses {
  const tenant = `t${randomUUID().slice(0, 8)}`;
  const processes = { tenant } as TwoProcesses;
  let second: CommandServiceProcess | undefined;

  beforeAll(async () => {
    second = await startCommandService(name);
    const token = devToken(tenant, 'ada', ['editor']);
    processes.viaEnvoy = new ModelingClient(token);
    processes.direct = new ModelingClient(token, { address: second.address });
    processes.topic = openTopicReader(name);
  }, 120_000);

  afterAll(async () => {
    processes.viaEnvoy?.close();
    processes.direct?.close();
    await processes.topic?.close();
    await second?.stop();
  });
  return processes;
}
