import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import type { Component, StackContext } from '../component.js';
import { fingerprint, isInstalled, markInstalled } from '../install-marker.js';
import { javaHome } from '../java.js';

/**
 * Apache Kafka 4.x in KRaft mode, one node that is both broker and controller. Its jars come
 * from Maven Central (infra/kafka/pom.xml); its storage is formatted once, on first start.
 */
export const kafka: Component = {
  name: 'kafka',
  dependsOn: [],
  endpoint: (config) => config.kafka.brokers.join(','),
  external: (config) => !isLocal(config.kafka.brokers),
  startTimeoutSeconds: 120,

  async install(ctx) {
    const pom = join(ctx.root, 'infra', 'kafka', 'pom.xml');
    const marker = join(home(ctx), 'lib.installed');
    const print = fingerprint(pom);
    if (isInstalled(marker, print)) return;
    ctx.progress('fetching the Kafka broker jars from Maven Central');
    await ctx.run('mvn', [
      '-B',
      '-q',
      '-f',
      pom,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${join(home(ctx), 'lib')}`,
      '-DincludeScope=runtime',
    ]);
    markInstalled(marker, print);
  },

  async launch(ctx) {
    const properties = renderServerProperties(ctx);
    const java = join(javaHome(17), 'bin', 'java');
    const common = [
      `-Dlog4j2.configurationFile=${join(ctx.root, 'infra', 'kafka', 'log4j2.properties')}`,
      '-cp',
      `${join(home(ctx), 'lib')}/*`,
    ];
    if (!existsSync(join(dataDir(ctx), 'meta.properties'))) {
      ctx.progress('formatting KRaft storage (first start)');
      await ctx.run(java, [
        ...common,
        'kafka.tools.StorageTool',
        'format',
        '--standalone',
        '--ignore-formatted',
        '-t',
        kafkaClusterId(),
        '-c',
        properties,
      ]);
    }
    return {
      cmd: java,
      args: [
        '-Xms256m',
        '-Xmx1g',
        '-XX:+UseG1GC',
        // A broker out of memory wedges rather than dies; exit so the failure is seen, not waited on.
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        ...common,
        'kafka.Kafka',
        properties,
      ],
    };
  },

  async healthy(ctx) {
    return (await canConnect(ctx.config.kafka.brokers[0]!)) && (await brokerAnswers(ctx));
  },
};

function home(ctx: StackContext): string {
  return join(ctx.varDir, 'kafka');
}

function dataDir(ctx: StackContext): string {
  return join(home(ctx), 'data');
}

function renderServerProperties(ctx: StackContext): string {
  const template = readFileSync(join(ctx.root, 'infra', 'kafka', 'server.properties.template'), 'utf8');
  const [, port] = ctx.config.kafka.brokers[0]!.split(':');
  const values: Record<string, string> = {
    brokerPort: port ?? '9092',
    controllerPort: String(ctx.config.kafka.controllerPort),
    dataDir: dataDir(ctx),
  };
  const rendered = template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`kafka: unknown placeholder {{${key}}} in server.properties.template`);
    return value;
  });
  mkdirSync(dataDir(ctx), { recursive: true });
  const file = join(home(ctx), 'server.properties');
  writeFileSync(file, rendered);
  return file;
}

/** Kafka's cluster ids are 16 random bytes, base64url without padding, never starting with '-'. */
function kafkaClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function isLocal(brokers: string[]): boolean {
  return brokers.every((b) => /^(localhost|127\.0\.0\.1|\[::1\]):\d+$/.test(b));
}

function canConnect(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** The broker is up when it answers a metadata request, not merely when its port is open. */
async function brokerAnswers(ctx: StackContext): Promise<boolean> {
  const { createKafkaAdmin } = await import('@flowledger/kafka');
  const admin = createKafkaAdmin({ brokers: ctx.config.kafka.brokers, clientId: 'flowledger-stack' });
  try {
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.close();
  }
}
