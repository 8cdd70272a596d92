// Marks which fields of a schema hold personal data (identity numbers, phone numbers, names, addresses), so a
// later layer can encrypt them at rest and mask them in responses without each service listing them again.
import type { Schema, SchemaType } from 'mongoose';

declare module 'mongoose' {
  interface SchemaTypeOptions<T> {
    /** This path holds personal data (个人信息): encrypted at rest and masked in responses (see DESIGN, security). */
    personal?: boolean | T;
  }
}

/** Dotted paths of every field marked `personal: true`, including inside nested objects and sub-schemas. */
export function personalPathsOf(schema: Schema): string[] {
  const paths: string[] = [];
  collect(schema, '', paths);
  return paths.sort();
}

function collect(schema: Schema, prefix: string, paths: string[]): void {
  schema.eachPath((path: string, type: SchemaType) => {
    const full = prefix + path;
    const options = type.options as { personal?: unknown; type?: unknown };
    if (options.personal === true || (Array.isArray(options.type) && isPersonalArray(options.type))) {
      paths.push(full);
    }
    // Sub-documents and arrays of sub-documents carry their own schema.
    const nested = (type as unknown as { schema?: Schema }).schema;
    if (nested) collect(nested, `${full}.`, paths);
  });
}

/** `phones: [{ type: String, personal: true }]` marks the array's elements. */
function isPersonalArray(type: unknown[]): boolean {
  const element = type[0] as { personal?: unknown } | undefined;
  return typeof element === 'object' && element !== null && element.personal === true;
}
