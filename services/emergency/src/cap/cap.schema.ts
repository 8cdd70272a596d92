// Validates CAP XML against the official OASIS CAP 1.2 XSD (./schema/cap-v1.2.xsd, see SOURCES.md there) with
// libxml2's xmllint compiled to WebAssembly (xmllint-wasm): offline, no native build, the reference validator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { assertSafeXmlInput, CapParseOptions } from './cap.parser';

export const CAP_XSD_PATH = join(__dirname, 'schema', 'cap-v1.2.xsd');

let xsd: string | undefined;
function capXsd(): string {
  xsd ??= readFileSync(CAP_XSD_PATH, 'utf8');
  return xsd;
}

export interface CapSchemaResult {
  valid: boolean;
  /** xmllint's messages without file names, e.g. `Element '{…}urgency': [facet 'enumeration'] …`. */
  errors: string[];
}

/**
 * Validates `xml` against the CAP 1.2 XSD. Refuses (CapParseError) oversized input and DOCTYPE / ENTITY
 * declarations before handing anything to libxml2.
 */
export async function validateCapXml(xml: string, options: CapParseOptions = {}): Promise<CapSchemaResult> {
  const text = assertSafeXmlInput(xml, options);
  const result = await validateXML({
    xml: [{ fileName: 'alert.xml', contents: text }],
    schema: [{ fileName: 'cap-v1.2.xsd', contents: capXsd() }],
    modifyArguments: (args) => ['--nonet', ...args],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}
