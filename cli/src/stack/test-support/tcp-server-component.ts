import { createConnection, createServer } from 'node:net';
import type { Component } from '../component.js';

/**
 * A stack component that is a real child process (a small Node TCP server), so the runner's
 * start, health, stop and failure reporting run exactly as they do for Kafka or Envoy, only faster.
 */
export function tcpServerComponent(
  name: string,
  port: number,
  dependsOn: string[] = [],
  log: string[] = [],
): Component {
  return {
    name,
    dependsOn,
    endpoint: () => `tcp://localhost:${port}`,
    install: async () => void log.push(`install ${name}`),
    launch: async () => {
      log.push(`launch ${name}`);
      return {
        cmd: process.execPath,
        args: [
          '-e',
          `require('net').createServer(() => {}).listen(${port}, '127.0.0.1'); console.log('${name} ready')`,
        ],
      };
    },
    healthy: () => canConnect(port),
    startTimeoutSeconds: 10,
  };
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
