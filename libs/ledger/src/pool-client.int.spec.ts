import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { checkOut } from './pool-client.js';
import { inTransaction } from './transaction.js';

// A session ended by Postgres while the connection is checked out (a restart, an admin's
// pg_terminate_backend) must not end this process: unhandled, pg's 'error' event would, and
// vitest would fail the run on the uncaught exception.
let pool: pg.Pool;
let admin: pg.Pool;
beforeAll(() => {
  const { url } = loadStackConfig().postgres;
  pool = new pg.Pool({ connectionString: url, max: 1 });
  admin = new pg.Pool({ connectionString: url, max: 1 });
});
afterAll(async () => {
  await pool.end();
  await admin.end();
});

async function backendPid(client: pg.PoolClient | pg.Pool): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return rows[0]!.pid;
}

/** Ends a session from another one and waits until Postgres no longer lists it. */
async function terminate(pid: number): Promise<void> {
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  for (let i = 0; i < 100; i += 1) {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
    if (rowCount === 0) break;
    await sleep(20);
  }
  await sleep(100); // the FATAL notice and the socket's end reach the client
}

describe('a checked-out connection whose session Postgres ends', () => {
  it('fails its next query, is discarded on release, and the pool serves a new session', async () => {
    const out = await checkOut(pool);
    const lostPid = await backendPid(out.client);

    await terminate(lostPid);

    await expect(out.client.query('SELECT 1')).rejects.toThrow();
    out.release();
    expect(pool.totalCount).toBe(0);
    const nextPid = await backendPid(pool);
    expect(nextPid).not.toBe(lostPid);
  });

  it('rolls a transaction back as failed when its session ends mid-work', async () => {
    let lostPid = 0;
    const work = inTransaction(pool, async (client) => {
      lostPid = await backendPid(client);
      await client.query('CREATE TEMP TABLE lost_session_probe (n int)');
      await terminate(lostPid);
      await client.query('INSERT INTO lost_session_probe VALUES (1)');
    });

    await expect(work).rejects.toThrow();
    expect(await backendPid(pool)).not.toBe(lostPid);
  });
});
