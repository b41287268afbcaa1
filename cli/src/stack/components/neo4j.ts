import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import neo4jDriver from 'neo4j-driver';
import type { Component, StackContext } from '../component.js';
import { fingerprint, isInstalled, markInstalled } from '../install-marker.js';
import { javaHome } from '../java.js';

const LAUNCHER_CLASS = 'dev.flowledger.neo4j.Neo4jLauncher';
const LAUNCHER_SOURCE = 'infra/neo4j/src/main/java/dev/flowledger/neo4j/Neo4jLauncher.java';
const POM = 'infra/neo4j/pom.xml';

/**
 * Neo4j 5.26 Community embedded with Bolt and authentication, run by a small Java launcher
 * (infra/neo4j). Maven builds the launcher and copies Neo4j's jars into var/neo4j.
 */
export const neo4j: Component = {
  name: 'neo4j',
  dependsOn: [],
  endpoint: (config) => config.neo4j.url,
  credentials: (config) => ({ username: config.neo4j.username, password: config.neo4j.password }),
  external: (config) => config.neo4j.external,
  startTimeoutSeconds: 120,

  async install(ctx) {
    const paths = neo4jPaths(ctx);
    // Rebuild whenever the pom (Neo4j version) or the launcher's source changes.
    const print = fingerprint(join(ctx.root, POM), join(ctx.root, LAUNCHER_SOURCE));
    if (isInstalled(paths.marker, print) && existsSync(paths.launcherJar)) return;

    ctx.progress('building the Neo4j launcher and fetching its jars from Maven Central');
    // Stale jars from an older Neo4j version would end up on the classpath beside the new ones.
    await rm(paths.lib, { recursive: true, force: true });
    await rm(paths.launcherJar, { force: true });
    await ctx.run('mvn', [
      '-B',
      '-q',
      '-f',
      join(ctx.root, POM),
      `-Dflowledger.var=${join(ctx.varDir, 'neo4j')}`,
      'package',
    ]);
    markInstalled(paths.marker, print);
  },

  async launch(ctx) {
    const paths = neo4jPaths(ctx);
    await mkdir(paths.data, { recursive: true });
    const { boltPort, username, password } = ctx.config.neo4j;
    return {
      cmd: join(javaHome(17), 'bin', 'java'),
      args: [
        '-Xms128m',
        '-Xmx512m',
        // A small dev heap: the serial collector keeps idle RSS ~70 MB below G1's.
        '-XX:+UseSerialGC',
        '-XX:+ExitOnOutOfMemoryError',
        // Neo4j's page cache and Netty use these internals; without them they fall back to slower paths.
        '--add-opens=java.base/java.nio=ALL-UNNAMED',
        '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
        '-Dio.netty.tryReflectionSetAccessible=true',
        '-Djdk.nio.maxCachedBufferSize=1024',
        '-cp',
        `${paths.launcherJar}:${join(paths.lib, '*')}`,
        LAUNCHER_CLASS,
        paths.data,
      ],
      cwd: ctx.root,
      env: {
        ...process.env,
        FLOWLEDGER_NEO4J_BOLT_PORT: String(boltPort),
        FLOWLEDGER_NEO4J_USER: username,
        FLOWLEDGER_NEO4J_PASSWORD: password,
      },
      // The graph read model: its writes can wait for the write path's (stack config).
      niceness: ctx.config.readSideNiceness,
    };
  },

  async healthy(ctx) {
    const { url, username, password } = ctx.config.neo4j;
    let driver;
    try {
      driver = neo4jDriver.driver(url, neo4jDriver.auth.basic(username, password), {
        connectionTimeout: 3000,
        connectionAcquisitionTimeout: 3000,
        maxConnectionPoolSize: 1,
      });
      // An auto-commit query: unlike executeQuery it is not retried for 30 s while Neo4j starts.
      const session = driver.session();
      try {
        const result = await session.run('RETURN 1 AS one');
        return result.records[0]?.get('one')?.toNumber() === 1;
      } finally {
        await session.close();
      }
    } catch {
      return false;
    } finally {
      await driver?.close().catch(() => undefined);
    }
  },
};

interface Neo4jPaths {
  lib: string;
  launcherJar: string;
  data: string;
  marker: string;
}

function neo4jPaths(ctx: StackContext): Neo4jPaths {
  const home = join(ctx.varDir, 'neo4j');
  return {
    lib: join(home, 'lib'),
    launcherJar: join(home, 'launcher.jar'),
    data: join(home, 'data'),
    marker: join(home, 'installed'),
  };
}
