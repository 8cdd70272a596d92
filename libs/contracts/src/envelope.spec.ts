import {
  CLOUDEVENTS_SPEC_VERSION,
  createEvent,
  EnvelopeError,
  fromKafkaRecord,
  JSON_CONTENT_TYPE,
  type KafkaRecord,
  toKafkaRecord,
} from './envelope';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function jobAccepted() {
  return createEvent({
    source: '/linli/dispatch',
    type: 'linli.dispatch.job.accepted.v1',
    subject: 'job-1',
    time: '2025-03-01T08:00:00.000Z',
    jurisdiction: '320106',
    correlationid: 'corr-1',
    causationid: 'cause-1',
    traceparent: TRACEPARENT,
    data: { jobId: 'job-1', providerKind: 'volunteer' },
  });
}

/** The record as kafkajs hands it to a consumer: Buffers everywhere. */
function asReceived(record: ReturnType<typeof toKafkaRecord>): KafkaRecord {
  return {
    key: Buffer.from(record.key),
    value: Buffer.from(record.value),
    headers: Object.fromEntries(
      Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)]),
    ),
  };
}

describe('createEvent', () => {
  it('fills id, time, specversion and content type, and makes a first event its own correlation', () => {
    const event = createEvent({ source: '/linli/x', type: 't', subject: 's', data: {} });
    expect(event.specversion).toBe(CLOUDEVENTS_SPEC_VERSION);
    expect(event.datacontenttype).toBe(JSON_CONTENT_TYPE);
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(event.time).toISOString()).toBe(event.time);
    expect(event.correlationid).toBe(event.id);
  });
});

describe('the Kafka binary-mode envelope', () => {
  it('round-trips an event through a record as kafkajs delivers it', () => {
    const event = jobAccepted();
    expect(fromKafkaRecord(asReceived(toKafkaRecord(event)))).toEqual(event);
  });

  it('puts attributes in ce_* headers, the aggregate id in the key and the JSON data in the value', () => {
    const record = toKafkaRecord(jobAccepted());
    expect(record.key).toBe('job-1');
    expect(JSON.parse(record.value)).toEqual({ jobId: 'job-1', providerKind: 'volunteer' });
    expect(record.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'linli.dispatch.job.accepted.v1',
      ce_subject: 'job-1',
      'content-type': 'application/json',
    });
  });

  it('keeps the jurisdiction, correlation, causation and traceparent extensions', () => {
    const read = fromKafkaRecord(asReceived(toKafkaRecord(jobAccepted())));
    expect(read).toMatchObject({
      jurisdiction: '320106',
      correlationid: 'corr-1',
      causationid: 'cause-1',
      traceparent: TRACEPARENT,
    });
  });

  it.each(['specversion', 'id', 'source', 'type', 'time'])('rejects a record without ce_%s', (attribute) => {
    const record = toKafkaRecord(jobAccepted());
    delete record.headers[`ce_${attribute}`];
    expect(() => fromKafkaRecord(record)).toThrow(EnvelopeError);
    expect(() => fromKafkaRecord(record)).toThrow(`ce_${attribute}`);
  });

  it('rejects a ce_time that is not a timestamp', () => {
    const record = toKafkaRecord(jobAccepted());
    expect(() =>
      fromKafkaRecord({ ...record, headers: { ...record.headers, ce_time: 'yesterday' } }),
    ).toThrow(/ce_time is not a timestamp/);
  });

  it('rejects a value that is not JSON', () => {
    const record = { ...toKafkaRecord(jobAccepted()), value: '{"jobId": ' };
    expect(() => fromKafkaRecord(record)).toThrow(EnvelopeError);
    expect(() => fromKafkaRecord(record)).toThrow(/not JSON/);
  });

  it('rejects a record without a value (a tombstone)', () => {
    expect(() => fromKafkaRecord({ ...toKafkaRecord(jobAccepted()), value: null })).toThrow(EnvelopeError);
  });

  it('rejects another specversion and a non-JSON content type', () => {
    const record = toKafkaRecord(jobAccepted());
    expect(() =>
      fromKafkaRecord({ ...record, headers: { ...record.headers, ce_specversion: '0.3' } }),
    ).toThrow(EnvelopeError);
    expect(() =>
      fromKafkaRecord({ ...record, headers: { ...record.headers, 'content-type': 'application/avro' } }),
    ).toThrow(EnvelopeError);
  });

  it('takes the key as subject when ce_subject is absent', () => {
    const record = toKafkaRecord(jobAccepted());
    delete record.headers.ce_subject;
    expect(fromKafkaRecord({ ...record, key: Buffer.from('job-7') }).subject).toBe('job-7');
  });

  it('rejects a record with neither ce_subject nor a key', () => {
    const record = toKafkaRecord(jobAccepted());
    delete record.headers.ce_subject;
    expect(() => fromKafkaRecord({ ...record, key: null })).toThrow(EnvelopeError);
  });
});
