import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CAP_FIXTURES,
  platformAlert,
  platformCancel,
  platformUpdate,
  publishedExamples,
} from '../../test/cap-alerts';
import { parseCapXml } from './cap.parser';
import { CAP_XSD_PATH, validateCapXml } from './cap.schema';
import { writeCapJson, writeCapXml } from './cap.writer';

describe('CAP 1.2 against the official OASIS XSD', () => {
  describe.each(publishedExamples().map((e) => [e.name, e.xml]))('the published example %s', (_name, xml) => {
    it('is valid as published (the validator agrees with the schema)', async () => {
      expect(await validateCapXml(xml)).toEqual({ valid: true, errors: [] });
    });

    it('imports, is written back as valid CAP 1.2, and parses again to the same model', async () => {
      const imported = parseCapXml(xml);
      const written = writeCapXml(imported);
      expect(await validateCapXml(written)).toEqual({ valid: true, errors: [] });
      expect(parseCapXml(written)).toEqual(imported);
      expect(writeCapJson(imported)).toEqual(imported);
    });
  });

  it.each([
    ['an Alert', platformAlert()],
    ['an Update referring to the alert', platformUpdate()],
    ['a Cancel referring to both', platformCancel()],
  ])(
    'the platform writes %s (zh-CN and en-US, polygon and administrative geocodes) as valid CAP 1.2',
    async (_k, alert) => {
      const xml = writeCapXml(alert);
      expect(await validateCapXml(xml)).toEqual({ valid: true, errors: [] });
      expect(parseCapXml(xml)).toEqual(alert);
    },
  );

  it('finds an alert invalid when a date-time ends in Z (the XSD demands a numeric offset)', async () => {
    const xml = writeCapXml(platformAlert()).replace(
      '<sent>2026-07-01T08:00:00+08:00</sent>',
      '<sent>2026-07-01T00:00:00Z</sent>',
    );
    const result = await validateCapXml(xml);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toContain('sent');
  });

  it('finds an alert invalid when its elements are out of the XSD order', async () => {
    const xml = writeCapXml(platformAlert()).replace(
      /(<status>Actual<\/status>)(\s*)(<msgType>Alert<\/msgType>)/,
      '$3$2$1',
    );
    const result = await validateCapXml(xml);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/msgType|status/);
  });

  it('finds a bad urgency invalid', async () => {
    const xml = writeCapXml(platformAlert()).replace(
      '<urgency>Immediate</urgency>',
      '<urgency>Now</urgency>',
    );
    expect((await validateCapXml(xml)).valid).toBe(false);
  });

  it('refuses a DOCTYPE before handing the document to libxml2', async () => {
    const xml =
      '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><alert>&xxe;</alert>';
    await expect(validateCapXml(xml)).rejects.toMatchObject({ name: 'CapParseError', field: 'document' });
  });

  it('uses the schema and examples exactly as published (sha256 as in SOURCES.md)', () => {
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    // One table row per file: `| name | … | sha256 |`, whatever padding the formatter gives the columns.
    const row = (sources: string, name: string) =>
      sources.split('\n').find((l) => l.startsWith(`| ${name} `)) ?? '';
    const xsdSources = readFileSync(join(CAP_XSD_PATH, '..', 'SOURCES.md'), 'utf8');
    expect(row(xsdSources, 'cap-v1.2.xsd')).toMatch(new RegExp(`\\| ${sha(CAP_XSD_PATH)} +\\|$`));
    const exampleSources = readFileSync(join(CAP_FIXTURES, 'SOURCES.md'), 'utf8');
    for (const { name } of publishedExamples()) {
      expect(row(exampleSources, name)).toMatch(new RegExp(`\\| ${sha(join(CAP_FIXTURES, name))} +\\|$`));
    }
  });
});
