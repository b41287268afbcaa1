import { parseArgs } from 'node:util';
import type { Benchmark } from './benchmark.js';

/** libs/kafka's client comparison (kafkajs vs @platformatic/kafka), see libs/kafka/README.md. */
export const kafkaClientsBenchmark: Benchmark = {
  summary: 'kafkajs vs @platformatic/kafka against the real broker (see libs/kafka/README.md)',
  usage: `usage: flowledger bench kafka-clients [--no-restart] [--json]
  --no-restart   skip the broker-restart scenario (it stops the shared broker for everyone)`,
  async run(args, ctx) {
    const { values } = parseArgs({
      args,
      options: { 'no-restart': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    const { runKafkaClientComparison } = await import('@flowledger/kafka/bench');
    const result = await runKafkaClientComparison({ root: ctx.root, restart: !values['no-restart'] });
    ctx.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : result.markdown);
    return 0;
  },
};
