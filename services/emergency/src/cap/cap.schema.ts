// Validates CAP XML against the official OASIS CAP 1.2 XSD (./schema/cap-v1.2.xsd, see SOURCES.md there) with
// libxml2's xmllint compiled to WebAssembly (validateXmlWithXsd of @linli/platform), after the input guard.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXmlWithXsd, type XsdValidationResult } from '@linli/platform';
import { assertSafeXmlInput, CapParseOptions } from './cap.parser';

export const CAP_XSD_PATH = join(__dirname, 'schema', 'cap-v1.2.xsd');

let xsd: string | undefined;
function capXsd(): string {
  xsd ??= readFileSync(CAP_XSD_PATH, 'utf8');
  return xsd;
}

export type CapSchemaResult = XsdValidationResult;

/**
 * Validates `xml` against the CAP 1.2 XSD. Refuses (CapParseError) oversized input and DOCTYPE / ENTITY
 * declarations before handing anything to libxml2.
 */
export async function validateCapXml(xml: string, options: CapParseOptions = {}): Promise<CapSchemaResult> {
  const text = assertSafeXmlInput(xml, options);
  return validateXmlWithXsd(text, { fileName: 'cap-v1.2.xsd', contents: capXsd() });
}
