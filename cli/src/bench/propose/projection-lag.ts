/**
 * Consumer lag of the projectors while the command path is loaded (issue 4): the projectors'
 * and snapshotter's `flowledger_projection_lag{group}` gauges, scraped every second during a run.
 * The runner refreshes the gauge every 5 s (its `lagIntervalMs`), so the figures are that coarse.
 */
export const LAG_GAUGE = 'flowledger_projection_lag';

/** `group` → lag, from Prometheus text exposition format. */
export function parseProjectionLag(exposition: string): Map<string, number> {
  const lags = new Map<string, number>();
  const line = new RegExp(`^${LAG_GAUGE}\\{([^}]*)\\}\\s+(\\S+)`);
  for (const text of exposition.split('\n')) {
    const match = line.exec(text);
    const group = match && /(?:^|,)group="([^"]*)"/.exec(match[1]!)?.[1];
    if (group) lags.set(group, Number(match[2]));
  }
  return lags;
}

export interface GroupLag {
  group: string;
  /** The largest lag seen during the run (records not yet projected and committed). */
  max: number;
  /** The last value seen, at the end of the run. */
  last: number;
}

export interface LagWatch {
  /** Stops scraping; the max and last lag per group, and the first scrape error if none answered. */
  stop(): Promise<{ groups: GroupLag[]; error?: string }>;
}

/** Scrapes every `urls` each `intervalMs` until stopped. */
export function watchProjectionLag(urls: string[], intervalMs = 1_000): LagWatch {
  const groups = new Map<string, GroupLag>();
  const errors: string[] = [];
  let answered = 0;
  const scrape = async () => {
    await Promise.all(
      urls.map(async (url) => {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          for (const [group, lag] of parseProjectionLag(await response.text())) {
            const seen = groups.get(group) ?? { group, max: 0, last: 0 };
            seen.max = Math.max(seen.max, lag);
            seen.last = lag;
            groups.set(group, seen);
          }
          answered++;
        } catch (error) {
          errors.push(`${url}: ${(error as Error).message}`);
        }
      }),
    );
  };
  let running = scrape();
  const timer = setInterval(() => {
    running = running.then(scrape);
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await scrape();
      const sorted = [...groups.values()].sort((a, b) => a.group.localeCompare(b.group));
      return answered === 0 ? { groups: sorted, error: errors[0] ?? 'no answer' } : { groups: sorted };
    },
  };
}
