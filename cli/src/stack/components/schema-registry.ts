import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, StackContext } from '../component.js';
import { fingerprint, isInstalled, markInstalled } from '../install-marker.js';
import { javaHome } from '../java.js';

/**
 * Apicurio Registry 3.x with the Confluent-compatible API (`/apis/ccompat/v7`), its storage in
 * Postgres. Runs from the `all` assembly on Maven Central; 3.3 needs a JDK 21+.
 */
export const schemaRegistry: Component = {
  name: 'schemaRegistry',
  dependsOn: ['postgres'],
  endpoint: (config) => config.schemaRegistry.url,
  external: (config) => config.schemaRegistry.external,
  startTimeoutSeconds: 120,

  async install(ctx) {
    const pom = join(ctx.root, 'infra', 'schema-registry', 'pom.xml');
    const marker = join(home(ctx), 'app.installed');
    const print = fingerprint(pom);
    if (isInstalled(marker, print) && existsSync(join(home(ctx), 'app', 'quarkus-run.jar'))) return;
    ctx.progress('fetching Apicurio Registry (about 160 MB) from Maven Central');
    await ctx.run('mvn', ['-B', '-q', '-f', pom, 'dependency:unpack']);
    markInstalled(marker, print);
  },

  async launch(ctx) {
    const config = join(home(ctx), 'app', 'config');
    mkdirSync(config, { recursive: true });
    copyFileSync(
      join(ctx.root, 'infra', 'schema-registry', 'application.properties'),
      join(config, 'application.properties'),
    );
    const pg = ctx.config.postgres;
    const pgUrl = new URL(pg.url);
    return {
      cmd: join(javaHome(21), 'bin', 'java'),
      args: ['-Xms64m', '-Xmx384m', '-XX:+UseSerialGC', '-jar', 'quarkus-run.jar'],
      cwd: join(home(ctx), 'app'),
      env: {
        ...process.env,
        FLOWLEDGER_SCHEMA_REGISTRY_PORT: String(ctx.config.schemaRegistry.port),
        FLOWLEDGER_SCHEMA_REGISTRY_MANAGEMENT_PORT: String(ctx.config.schemaRegistry.managementPort),
        FLOWLEDGER_REGISTRY_JDBC_URL: `jdbc:postgresql://${pgUrl.hostname}:${pg.port}/${pg.registryDatabase}`,
        FLOWLEDGER_PG_USER: pg.username,
        FLOWLEDGER_PG_PASSWORD: pg.password,
      },
    };
  },

  async healthy(ctx) {
    try {
      const res = await fetch(`${ctx.config.schemaRegistry.url}/subjects`, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    } catch {
      return false;
    }
  },
};

function home(ctx: StackContext): string {
  return join(ctx.varDir, 'schema-registry');
}
