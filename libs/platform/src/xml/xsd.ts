// Validates an XML document against an XSD with libxml2's own xmllint compiled to WebAssembly (xmllint-wasm): the
// reference validator, offline (`--nonet`), no native build. Callers guard untrusted input first (size, DOCTYPE):
// see services/emergency/src/cap/cap.schema.ts.
import { validateXML } from 'xmllint-wasm';

export interface XsdValidationResult {
  valid: boolean;
  /** xmllint's messages without file names, e.g. `Element '{…}urgency': [facet 'enumeration'] …`. */
  errors: string[];
}

export async function validateXmlWithXsd(
  xml: string,
  schema: { fileName: string; contents: string },
): Promise<XsdValidationResult> {
  const result = await validateXML({
    xml: [{ fileName: 'document.xml', contents: xml }],
    schema: [schema],
    modifyArguments: (args) => ['--nonet', ...args],
  });
  return { valid: result.valid, errors: result.errors.map((error) => error.message) };
}
