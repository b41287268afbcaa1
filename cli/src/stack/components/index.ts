import type { Component } from '../component.js';
import { commandService } from './command-service.js';
import { envoy } from './envoy.js';
import { kafka } from './kafka.js';
import { moddleSidecar } from './moddle-sidecar.js';
import { neo4j } from './neo4j.js';
import { oidc } from './oidc.js';
import { postgres } from './postgres.js';
import { projectors } from './projectors.js';
import { schemaRegistry } from './schema-registry.js';
import { snapshotter } from './snapshotter.js';
import { validator } from './validator.js';
import { web } from './web.js';

/** Every component of the embedded stack, in the order `stack status` lists them. */
export const components: Component[] = [
  kafka,
  schemaRegistry,
  postgres,
  neo4j,
  envoy,
  validator,
  oidc,
  moddleSidecar,
  commandService,
  projectors,
  snapshotter,
  web,
];
