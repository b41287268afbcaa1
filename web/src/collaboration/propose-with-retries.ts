import { Code, ConnectError } from '@connectrpc/connect';
import type { ModelingApi } from '../api/modeling-api.js';

const UNAVAILABLE_RETRIES = 8;
const RETRIABLE = [Code.Unavailable, Code.DeadlineExceeded, Code.Aborted];

/**
 * Propose, retried while the server is briefly unavailable (a restart, a broker failover). The
 * same transaction id makes a retry safe — the server answers a repeat with its first result —
 * so the user's gesture is not lost; it stays pending until the server answers.
 */
export async function proposeWithRetries(
  api: ModelingApi,
  request: Parameters<ModelingApi['propose']>[0],
  onRetry: (text: string) => void,
) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.propose(request);
    } catch (error) {
      const retriable = error instanceof ConnectError && RETRIABLE.includes(error.code);
      if (!retriable || attempt >= UNAVAILABLE_RETRIES) throw error;
      onRetry(`The server is unavailable; retrying (${attempt + 1}/${UNAVAILABLE_RETRIES})…`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 4_000)));
    }
  }
}
