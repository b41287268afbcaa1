import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../moddle-sidecar.config.js';

/** One JSON object per line on stdout (var/log/moddleSidecar.log under the stack), like the other services. */
export function createSidecarLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    base: { service: 'moddle-sidecar' },
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
