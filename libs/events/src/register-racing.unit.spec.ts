import { describe, expect, it } from 'vitest';
import { ConfluentSchemaRegistryCompatibilityError } from '@kafkajs/confluent-schema-registry/dist/errors.js';
import { registerRacing } from './avro-codec.js';

describe('registerRacing', () => {
  it('tries again when another process created the subject but has not set its rule yet', async () => {
    let calls = 0;
    const id = await registerRacing(
      async () => {
        calls += 1;
        if (calls === 1)
          throw new ConfluentSchemaRegistryCompatibilityError(
            'Compatibility does not match the configuration (BACKWARD != NONE)',
          );
        return 7;
      },
      5,
      1,
    );
    expect({ id, calls }).toEqual({ id: 7, calls: 2 });
  });

  it('tries again when both processes created the rule at once (409 already exists)', async () => {
    let calls = 0;
    const lost = Object.assign(new Error('rule already exists'), { status: 409 });
    const id = await registerRacing(async () => (++calls === 1 ? Promise.reject(lost) : 3), 5, 1);
    expect({ id, calls }).toEqual({ id: 3, calls: 2 });
  });

  it('gives up after the last attempt, and at once on anything else', async () => {
    const mismatch = new ConfluentSchemaRegistryCompatibilityError('BACKWARD != NONE');
    await expect(registerRacing(() => Promise.reject(mismatch), 3, 1)).rejects.toBe(mismatch);
    let calls = 0;
    const incompatible = Object.assign(new Error('incompatible schema'), { status: 409 });
    await expect(registerRacing(() => (calls++, Promise.reject(incompatible)), 3, 1)).rejects.toBe(incompatible);
    expect(calls).toBe(1);
  });
});
