/**
 * Values that only stand in for real ones: the documentation domains (RFC 2606) and AWS's example
 * account. cdk.json carries them so a fresh clone synthesises; deployed, such a stack would answer
 * 503 to everything, so the app refuses them unless told they are on purpose (allowPlaceholders).
 */
const PLACEHOLDER = /(^|[/.@])example\.(com|net|org)\b|(^|[/.])[a-z0-9-]+\.(example|invalid|test)\b|:123456789012:/i;

/** One line per setting that holds a placeholder, naming the key (`jwt.issuer`). */
export const placeholdersIn = (settings: unknown, path = ''): string[] => {
  if (typeof settings === 'string')
    return PLACEHOLDER.test(settings)
      ? [`${path}: "${settings}" is an example value; set the real one (or -c allowPlaceholders=true on purpose)`]
      : [];
  if (Array.isArray(settings)) return settings.flatMap((item, index) => placeholdersIn(item, `${path}.${index}`));
  if (settings && typeof settings === 'object')
    return Object.entries(settings).flatMap(([key, value]) => placeholdersIn(value, path ? `${path}.${key}` : key));
  return [];
};
