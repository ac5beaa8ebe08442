/** A provider's body through the lenient JSON parser and a schema; anything else is ProviderUnreadable. */
import type { z } from 'zod';
import { ProviderUnreadable } from './errors.ts';
import { redact } from './http.ts';
import { parseJsonLenient } from './json.ts';

export function readAnswer<T>(
  provider: string,
  operation: string,
  text: string,
  schema: z.ZodType<T>,
  secrets: readonly string[],
): { data: T; json: unknown } {
  // The provider has no reason to echo credentials, but the excerpt lands in logs: make sure. Only built
  // when there is an error to show it in.
  const shown = () => redact(text, secrets);
  let json: unknown;
  try {
    json = parseJsonLenient(text);
  } catch (err) {
    throw new ProviderUnreadable(provider, operation, 'not JSON', shown(), err);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ProviderUnreadable(provider, operation, `unexpected shape (${where}${issue?.message ?? 'invalid'})`, shown());
  }
  return { data: parsed.data, json };
}
