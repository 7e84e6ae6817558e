import { HEADER } from '../headers';
import { inboundMessage, inboundMessages, type Upcaster } from './inbound-message';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const fields = { subject: 'sales.order-placed.v1', stream: 'OLIST_SALES', streamSequence: 7, deliveryCount: 1 };
const envelope = (id: string, version = 1) => ({
  id,
  type: 'sales.order-placed',
  version,
  occurredAt: '2017-10-02T10:56:33Z',
  recordedAt: '2026-01-01T00:00:00Z',
  aggregateId: `order-${id}`,
  correlationId: 'c1',
  causationId: null,
  payload: { orderId: `order-${id}`, total: '38.71' },
});

/** Knows sales.order-placed up to v2, which renames `total` to `orderTotal`. */
const upcaster: Upcaster = {
  find: (type) => (type === 'sales.order-placed' ? {} : undefined),
  upcast: (_type, version, payload) => {
    const { total, ...rest } = payload as { total: string };
    return version < 2 ? { version: 2, payload: { ...rest, orderTotal: total } } : { version, payload };
  },
};

describe('inbound messages', () => {
  it('parses a single body at each call and does not keep it', () => {
    const message = inboundMessage({ ...fields, eventId: 'e1', headers: {}, data: encode(envelope('e1')) });
    const first = message.json<{ payload: { total: string } }>();
    const second = message.json();
    expect(first).toEqual(envelope('e1'));
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    // What a caller changes in its copy is not seen by the next call.
    first.payload.total = '0.00';
    expect(message.envelope().payload).toEqual({ orderId: 'order-e1', total: '38.71' });
  });

  it('takes a batch apart into one message per envelope, each with its parsed envelope kept', () => {
    const batch = [envelope('e1'), envelope('e2'), envelope('e3')];
    const messages = inboundMessages({ ...fields, eventId: 'batch-1', headers: { [HEADER.events]: '3' }, data: encode(batch) });
    expect(messages.map((m) => [m.eventId, m.messageId, m.streamSequence])).toEqual([
      ['e1', 'batch-1', 7],
      ['e2', 'batch-1', 7],
      ['e3', 'batch-1', 7],
    ]);
    expect(messages[1]?.json()).toEqual(batch[1]);
    expect(messages[1]?.json()).toBe(messages[1]?.json());
    expect(messages[2]?.envelope()).toBe(messages[2]?.json());
  });

  it('treats a message without the batch header as one message, whatever its body', () => {
    const messages = inboundMessages({ ...fields, eventId: 'e9', headers: {}, data: encode([envelope('e9')]) });
    expect(messages).toHaveLength(1);
    expect(messages[0]?.messageId).toBe('e9');
    expect(messages[0]?.json()).toEqual([envelope('e9')]);
  });

  it('refuses a batch whose body is not a JSON array', () => {
    expect(() => inboundMessages({ ...fields, eventId: 'b', headers: { [HEADER.events]: '1' }, data: encode(envelope('e1')) })).toThrow(
      /batch message \(Olist-Events\) whose body is not a JSON array/,
    );
  });

  it('upcasts an envelope to the latest version the consumer knows, single or batched', () => {
    const single = inboundMessage({ ...fields, eventId: 'e1', headers: {}, data: encode(envelope('e1')) }, upcaster);
    expect(single.envelope()).toMatchObject({ id: 'e1', version: 2, payload: { orderId: 'order-e1', orderTotal: '38.71' } });
    expect(single.json()).toMatchObject({ version: 1, payload: { total: '38.71' } });
    const [batched] = inboundMessages({ ...fields, eventId: 'b', headers: { [HEADER.events]: '1' }, data: encode([envelope('e2')]) }, upcaster);
    expect(batched?.envelope()).toMatchObject({ id: 'e2', version: 2, payload: { orderTotal: '38.71' } });
    const current = inboundMessage({ ...fields, eventId: 'e3', headers: {}, data: encode(envelope('e3', 2)) }, upcaster);
    expect(current.envelope()).toEqual(envelope('e3', 2));
  });

  it('passes an envelope of a type the consumer has no contract for unchanged', () => {
    const other = { ...envelope('e4'), type: 'fulfillment.delivery-completed' };
    const message = inboundMessage({ ...fields, eventId: 'e4', headers: {}, data: encode(other) }, upcaster);
    expect(message.envelope()).toEqual(other);
  });
});
