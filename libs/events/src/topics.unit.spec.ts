import { describe, expect, it } from 'vitest';
import { buildEventHeaders } from './event-headers.js';
import { auditSubject, auditTopic, diagramEventsSubject, diagramEventsTopic } from './topics.js';

describe('topic and subject names', () => {
  it('names the tenant topic and its TopicNameStrategy value subject', () => {
    expect(diagramEventsTopic('acme')).toBe('flowledger.acme.diagram-events');
    expect(diagramEventsSubject('acme')).toBe('flowledger.acme.diagram-events-value');
  });

  it('names the tenant audit topic and its subject', () => {
    expect(auditTopic('acme')).toBe('flowledger.acme.audit');
    expect(auditSubject('acme')).toBe('flowledger.acme.audit-value');
    expect(() => auditTopic('a.b')).toThrow(/cannot name a topic/);
  });

  it.each(['', 'a.b', 'a b', 'ä', 'x'.repeat(101)])('refuses the tenant id %j, which cannot name a topic', (tenant) => {
    expect(() => diagramEventsTopic(tenant)).toThrow(/cannot name a topic/);
  });
});

describe('event headers', () => {
  it('carry tenant, event type, content type and the traceparent when there is one', () => {
    const event = { tenantId: 'acme', eventType: 'CHANGES_APPLIED' as const };
    expect(buildEventHeaders({ event, traceparent: '00-abc-def-01' })).toEqual({
      traceparent: '00-abc-def-01',
      'tenant-id': 'acme',
      'event-type': 'CHANGES_APPLIED',
      'content-type': 'application/vnd.confluent.avro',
    });
    expect(buildEventHeaders({ event, traceparent: null })).not.toHaveProperty('traceparent');
  });
});
