import type { JsonSchema } from '@olist/messaging/contracts';

/** Words that mark a property as personal data (LGPD): it must never appear in a customer event. */
export const PERSONAL_DATA_WORDS = ['zip', 'city', 'title', 'message', 'comment', 'email', 'name', 'address', 'phone', 'cpf'] as const;

/**
 * Properties of `schema` (at any depth) whose name contains one of PERSONAL_DATA_WORDS as a word
 * (`zipPrefix`, `customer_city`, `reviewTitle`), as paths like `items[].city`. A boolean property
 * (`hasComment`) cannot carry the data itself and passes.
 */
export function personalDataProperties(schema: JsonSchema, path = ''): string[] {
  const found: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const at = path ? `${path}.${name}` : name;
    const words = name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .split(/[^a-z0-9]+/);
    const isFlag = property.type === 'boolean';
    if (!isFlag && words.some((word) => (PERSONAL_DATA_WORDS as readonly string[]).includes(word))) found.push(at);
    found.push(...personalDataProperties(property, at));
  }
  if (schema.items) found.push(...personalDataProperties(schema.items, `${path}[]`));
  if (typeof schema.additionalProperties === 'object') found.push(...personalDataProperties(schema.additionalProperties, `${path}.*`));
  return found;
}
