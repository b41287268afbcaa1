import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';

/** Writes one JSON value per line into a gzip file (streamed, so a large tenant never sits in memory). */
export interface NdjsonGzipWriter {
  write(value: unknown): Promise<void>;
  close(): Promise<number>;
}

export function writeNdjsonGzip(path: string): NdjsonGzipWriter {
  const gzip = createGzip({ level: 6 });
  const file = createWriteStream(path);
  gzip.pipe(file);
  let count = 0;
  return {
    async write(value) {
      count++;
      if (!gzip.write(`${JSON.stringify(value)}\n`)) await once(gzip, 'drain');
    },
    async close() {
      gzip.end();
      await once(file, 'close');
      return count;
    },
  };
}

export async function* readNdjsonGzip<T>(path: string): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) yield JSON.parse(line) as T;
}
