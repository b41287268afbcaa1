import type { RestartFigures } from './broker-restart-scenario.js';
import type { ConsumeFigures, ProduceFigures, ProduceSettings } from './produce-scenarios.js';

export interface ReportInput {
  machine: string;
  settings: ProduceSettings;
  produce: ProduceFigures[];
  consume: ConsumeFigures[];
  restart: RestartFigures[];
}

/** The comparison as Markdown tables, ready to paste into the README. */
export function renderReport({ machine, settings: s, produce, consume, restart }: ReportInput): string {
  const out: string[] = [];
  out.push(`Machine: ${machine}.`, '');
  out.push(
    `Produce: idempotent, acks=all, ${s.recordBytes}-byte records, ${s.partitions} partitions, ${s.keys} keys; ` +
      `"in log" counts the records the broker holds afterwards (must equal "acked").`,
    '',
  );
  out.push(
    table(
      [
        'client',
        'mode',
        'in flight',
        'records/send',
        'acked',
        'in log',
        'failed sends',
        'records/s',
        'MB/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
      ],
      produce.map((f) => [
        f.client,
        f.mode,
        String(f.concurrency),
        String(f.recordsPerSend),
        String(f.acked),
        f.inLog === f.acked ? String(f.inLog) : `**${f.inLog}**`,
        String(f.failedSends),
        fixed(f.recordsPerSecond, 0),
        fixed(f.mbPerSecond, 2),
        fixed(f.p50Ms, 2),
        fixed(f.p95Ms, 2),
        fixed(f.p99Ms, 2),
      ]),
    ),
  );
  out.push('', 'Consumer group: a fresh group reads the batched topic from the beginning.', '');
  out.push(
    table(
      [
        'client',
        'records read',
        'first record after ms',
        'all records after ms',
        'records/s',
        'distinct',
        'redelivered',
        'keys out of order',
      ],
      consume.map((f) => [
        f.client,
        String(f.records),
        fixed(f.firstRecordMs, 0),
        fixed(f.allRecordsMs, 0),
        fixed(f.recordsPerSecond, 0),
        String(f.distinct),
        String(f.redelivered),
        String(f.outOfOrderKeys),
      ]),
    ),
  );
  if (restart.length > 0) {
    out.push(
      '',
      'Broker restart: single-record sends (each awaited, a rejected send sent again) with a consumer group reading along; ' +
        'the broker is stopped with SIGTERM and started by `flowledger stack up`.',
      '',
    );
    out.push(
      table(
        [
          'client',
          'acked',
          'outage ms',
          'longest stall ms',
          'sends rejected',
          'in log',
          'consumed distinct',
          'redelivered',
          'keys out of order',
        ],
        restart.map((f) => [
          f.client,
          `${f.acked}/${f.records}`,
          fixed(f.outageMs, 0),
          fixed(f.longestStallMs, 0),
          String(f.failedSends),
          f.inLog === f.acked ? String(f.inLog) : `**${f.inLog}**`,
          String(f.consumedDistinct),
          String(f.consumerRedelivered),
          String(f.outOfOrderKeys),
        ]),
      ),
    );
    for (const f of restart.filter((r) => r.clientLog.length > 0)) {
      out.push(
        '',
        `${f.client} logged ${f.clientLog.length} warnings/errors, e.g. \`${f.clientLog[0]!.slice(0, 160)}\``,
      );
    }
  }
  return out.join('\n') + '\n';
}

function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function fixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}
