import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** An OpenAPI 3.1 document, as far as its schemas go. */
export interface OpenApiDocument {
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
}

const REF = /^#\/components\/schemas\/(.+)$/;

/** A component with its `#/components/schemas/X` references pointing at the schema registered for X. */
const localRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(localRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' ? inner.replace(REF, 'component:$1') : localRefs(inner),
    ]),
  );
};

/**
 * JSON Schema 2020-12 validators for the component schemas of an OpenAPI 3.1 document, `$ref`s
 * between them resolved within the document: what a client generated from the document would accept.
 * Formats (uri, uuid, date-time, int64, password) are checked as ajv-formats checks them.
 */
export const schemaValidators = (document: OpenApiDocument) => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats.default(ajv);
  // OpenAPI's own annotation keyword, beside JSON Schema's `examples`.
  ajv.addKeyword({ keyword: 'example' });
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    ajv.addSchema({ ...(localRefs(schema) as object), $id: `component:${name}` });
  }
  const cache = new Map<string, ValidateFunction>();
  return (component: string): ValidateFunction => {
    if (!document.components?.schemas?.[component]) throw new Error(`no components.schemas.${component} in the document`);
    let validate = cache.get(component);
    if (!validate) {
      validate = ajv.getSchema(`component:${component}`)!;
      cache.set(component, validate);
    }
    return validate;
  };
};
