import { describe, expect, it } from 'vitest';
import { handoffMarkdown, measureHandoff, startEchoProcess, startGrpcEchoProcess } from './handoff-bench.js';

describe('bench handoff', () => {
  it('times round trips to a real echo process, back to back and paced, and reports both', async () => {
    // given an echo process and a round trip that counts itself
    const echo = await startEchoProcess();
    let calls = 0;
    try {
      // when it is measured with 20 samples each way (after warm-ups of 20) and 5 ms pauses
      const row = await measureHandoff(
        'echo',
        async () => {
          calls++;
          await echo.roundTrip();
        },
        { samples: 20, pauseMs: 5 },
      );

      // then every round trip was answered and timed, and the summaries are ordered percentiles
      expect(calls).toBe(80);
      for (const summary of [row.backToBack, row.paced]) {
        expect(summary.count).toBe(20);
        expect(summary.p50Ms).toBeGreaterThan(0);
        expect(summary.p50Ms).toBeLessThanOrEqual(summary.p95Ms);
        expect(summary.p95Ms).toBeLessThanOrEqual(summary.p99Ms);
      }
      const report = handoffMarkdown([row], { samples: 20, pauseMs: 5 });
      expect(report).toContain('| echo |');
      expect(report).toContain('one every 5 ms');
    } finally {
      echo.stop();
    }
  });

  it('round-trips through a real grpc-js echo server', async () => {
    const echo = await startGrpcEchoProcess();
    try {
      const row = await measureHandoff('grpc', echo.roundTrip, { samples: 5, pauseMs: 1 });
      expect([row.backToBack.count, row.paced.count]).toEqual([5, 5]);
      expect(row.paced.p50Ms).toBeGreaterThan(0);
    } finally {
      echo.stop();
    }
  });
});
