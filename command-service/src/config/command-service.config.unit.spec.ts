import { describe, expect, it } from 'vitest';
import { loadCommandServiceConfig } from './command-service.config.js';

describe('FLOWLEDGER_AGENT_REVIEW_POLICY', () => {
  it('defaults to no tenant under review, and reads a per-tenant policy', () => {
    expect(loadCommandServiceConfig({}).agentReviewPolicy).toEqual({});
    const policy = loadCommandServiceConfig({ FLOWLEDGER_AGENT_REVIEW_POLICY: '{"acme": "review", "beta": "direct"}' });
    expect(policy.agentReviewPolicy).toEqual({ acme: 'review', beta: 'direct' });
  });

  it('refuses at start what is not JSON or names an unknown mode, naming the variable', () => {
    expect(() => loadCommandServiceConfig({ FLOWLEDGER_AGENT_REVIEW_POLICY: '{acme' })).toThrow(
      /FLOWLEDGER_AGENT_REVIEW_POLICY: not JSON/,
    );
    expect(() => loadCommandServiceConfig({ FLOWLEDGER_AGENT_REVIEW_POLICY: '{"acme": "later"}' })).toThrow(
      /FLOWLEDGER_AGENT_REVIEW_POLICY: acme: .*'direct' \| 'review'/,
    );
  });
});
