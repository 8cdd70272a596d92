import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import specs from '@asyncapi/specs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { buildAsyncApiDocument, renderAsyncApiYaml } from './asyncapi';
import { allEvents, allTopics } from './catalogue';
import { jobRequested } from './dispatch/job.events';
import { DOMAIN_SERVICES } from './fields';
import { producersOf } from './registry';

const CHECKED_IN = join(__dirname, '..', 'asyncapi.yaml');

type Json = Record<string, unknown>;

/** Follows a local JSON pointer (`#/a/b`) through the document; undefined when any step is missing. */
function resolve(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, step) => (node as Json | undefined)?.[step], document);
}

function allRefs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(allRefs);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node as Json).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : allRefs(value),
  );
}

describe('the AsyncAPI document', () => {
  const document = buildAsyncApiDocument();
  const channels = document.channels as Record<string, Json>;
  const operations = document.operations as Record<string, Json>;
  const messages = (document.components as Json).messages as Record<string, Json>;

  it('is the checked-in libs/contracts/asyncapi.yaml (run `npm run asyncapi` when this fails)', () => {
    const checkedIn = readFileSync(CHECKED_IN, 'utf8');
    if (checkedIn !== renderAsyncApiYaml(document)) {
      throw new Error('libs/contracts/asyncapi.yaml is stale: run `npm run asyncapi` and commit the result');
    }
  });

  it('is AsyncAPI 3.0.0 and valid against the official 3.0.0 JSON schema', () => {
    expect(document.asyncapi).toBe('3.0.0');
    // The official schema embeds its own copy of the draft-07 meta-schema, hence no built-in meta here.
    const ajv = new Ajv({ meta: false, strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    const validate = ajv.compile(specs.schemas['3.0.0']);
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it('has one channel per topic, addressed by the topic name, with a Kafka binding', () => {
    expect(Object.values(channels).map((channel) => channel.address)).toEqual(
      allTopics.map((topic) => topic.name),
    );
    for (const channel of Object.values(channels)) {
      expect(channel.bindings).toEqual({
        kafka: { topic: channel.address, bindingVersion: expect.any(String) },
      });
    }
  });

  it('passes the official AsyncAPI parser (schema and its semantic rules) without errors or warnings', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(renderAsyncApiYaml(document));
    const faults = diagnostics
      .filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning)
      .map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
    expect(faults).toEqual([]);
    expect(
      parsed
        ?.channels()
        .all()
        .map((channel) => channel.address()),
    ).toEqual(allTopics.map((topic) => topic.name));
  });

  it('has one message per event and one send operation per event and producer', () => {
    expect(Object.values(messages).map((message) => message.name)).toEqual(
      allEvents.map((event) => event.type),
    );
    expect(Object.keys(operations)).toHaveLength(
      allEvents.reduce((count, event) => count + producersOf(event).length, 0),
    );
    for (const operation of Object.values(operations)) expect(operation.action).toBe('send');
  });

  it('has job.requested sent by each domain service, not by dispatch', () => {
    const senders = Object.values(operations)
      .filter((operation) =>
        (operation.messages as { $ref: string }[])[0].$ref.endsWith('/dispatchJobRequestedV1'),
      )
      .map((operation) => (operation.tags as { name: string }[])[0].name);
    expect(senders).toEqual([...DOMAIN_SERVICES]);
    expect(producersOf(jobRequested)).not.toContain('dispatch');
  });

  it('groups operations by service: consecutive, tagged with their service', () => {
    const services = Object.values(operations).map(
      (operation) => (operation.tags as { name: string }[])[0].name,
    );
    const runs = services.filter((service, i) => i === 0 || services[i - 1] !== service);
    expect(runs).toEqual([...new Set(services)]);
  });

  it('references only channels, messages and schemas that exist', () => {
    for (const operation of Object.values(operations)) {
      const channel = resolve(document, (operation.channel as { $ref: string }).$ref) as Json | undefined;
      expect(channel).toBeDefined();
      for (const { $ref } of operation.messages as { $ref: string }[]) {
        // AsyncAPI 3: an operation's messages are messages of its own channel.
        expect($ref.startsWith(`${(operation.channel as { $ref: string }).$ref}/messages/`)).toBe(true);
      }
    }
    const unresolved = allRefs(document).filter((ref) => resolve(document, ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('gives every message the CloudEvents binary-mode headers and its TypeBox schema as payload', () => {
    const headers = ((document.components as Json).schemas as Record<string, Json>).CloudEventHeaders;
    expect(Object.keys(headers.properties as Json)).toEqual(
      expect.arrayContaining([
        'ce_specversion',
        'ce_id',
        'ce_source',
        'ce_type',
        'ce_time',
        'ce_subject',
        'ce_jurisdiction',
        'ce_correlationid',
        'ce_causationid',
        'ce_traceparent',
        'content-type',
      ]),
    );
    for (const event of allEvents) {
      const message = Object.values(messages).find((m) => m.name === event.type)!;
      expect(message.payload).toEqual(JSON.parse(JSON.stringify(event.schema)));
      expect(JSON.stringify(message.headers)).toContain(`"const":"${event.type}"`);
    }
  });
});
