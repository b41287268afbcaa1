import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A JDK of at least the given major version. Kafka and Neo4j run on the machine's JDK 17;
 * Apicurio Registry 3.3 needs 21+. `FLOWLEDGER_JAVA<major>_HOME` overrides the search.
 */
export function javaHome(minMajor: number): string {
  const override = process.env[`FLOWLEDGER_JAVA${minMajor}_HOME`];
  if (override) return override;
  const candidates: Array<{ home: string; major: number }> = [];
  if (process.env.JAVA_HOME) candidates.push({ home: process.env.JAVA_HOME, major: majorOf(process.env.JAVA_HOME) });
  const jvmDir = '/usr/lib/jvm';
  if (existsSync(jvmDir)) {
    for (const entry of readdirSync(jvmDir)) {
      const home = join(jvmDir, entry);
      if (existsSync(join(home, 'bin', 'java'))) candidates.push({ home, major: majorOf(entry) });
    }
  }
  // The oldest JDK that is new enough: the machine default where it suffices.
  const fit = candidates.filter((c) => c.major >= minMajor).sort((a, b) => a.major - b.major)[0];
  if (!fit) {
    throw new Error(
      `no JDK ${minMajor}+ found (JAVA_HOME, /usr/lib/jvm); install one or set FLOWLEDGER_JAVA${minMajor}_HOME`,
    );
  }
  return fit.home;
}

function majorOf(path: string): number {
  const m = /(?:jdk|java|openjdk)[-_]?(?:1\.)?(\d+)/i.exec(path) ?? /-(\d+)(?:[.-]|$)/.exec(path);
  return m ? Number(m[1]) : 0;
}
