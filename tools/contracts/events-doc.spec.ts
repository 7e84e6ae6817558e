import { validateAgainstSchema } from '@olist/messaging/contracts';
import { exampleEnvelope, formatJson, generateEventsDoc } from './events-doc';
import { ALL_CONTRACTS } from './registry';

describe('events doc', () => {
  const doc = generateEventsDoc();

  it('is deterministic', () => {
    expect(generateEventsDoc()).toBe(doc);
  });

  it('explains the envelope, subjects, prefix, streams, message ids and tapping', () => {
    for (const text of [
      '`olist.<context>.<event>.v<version>`',
      'OLIST_NATS_PREFIX',
      '`<prefix>.`',
      '`OLIST_SALES`',
      '`OLIST_IMPORT`',
      '`Nats-Msg-Id`',
      "npx olist tap 'olist.sales.>' --from-start",
      '| `correlationId` |',
    ]) {
      expect(doc).toContain(text);
    }
  });

  it('has a section per contract with its subject, schema and example envelope', () => {
    for (const contract of ALL_CONTRACTS) {
      expect(doc).toContain(`### ${contract.type} v${contract.version}\n`);
      expect(doc).toContain(`| \`${contract.subject}\` | \`${contract.type}\` | ${contract.version} | ${contract.compatibility} |`);
      expect(doc).toContain(formatJson(contract.schema));
      expect(doc).toContain(formatJson(exampleEnvelope(contract)));
    }
    for (const title of ['## Sales', '## Fulfillment', '## Marketplace', '## Customer', '## Quality', '## Raw feed (import)']) expect(doc).toContain(`\n${title}\n`);
  });

  it('shows envelopes whose payload is the valid example and whose ids are UUIDs', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const ids = new Set<string>();
    for (const contract of ALL_CONTRACTS) {
      const envelope = exampleEnvelope(contract);
      expect(envelope.id).toMatch(uuid);
      ids.add(envelope.id);
      expect(validateAgainstSchema({ type: 'string', format: 'date-time' }, envelope.occurredAt)).toEqual([]);
      expect(validateAgainstSchema(contract.schema, envelope.payload)).toEqual([]);
    }
    expect(ids.size).toBe(ALL_CONTRACTS.length);
  });

  it('formats JSON that parses back to the same value', () => {
    for (const contract of ALL_CONTRACTS) expect(JSON.parse(formatJson(contract.schema))).toEqual(contract.schema);
    expect(formatJson({ a: [1, 2], b: { c: null } })).toBe('{ "a": [1, 2], "b": { "c": null } }');
  });
});
