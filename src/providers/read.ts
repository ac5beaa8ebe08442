/**
 * A provider's body through the lenient JSON parser and a schema; anything else is ProviderUnreadable. `json`,
 * the answer as it goes on the transaction's record, and the excerpt of an unreadable one come back without the
 * client's credentials; `data` is the answer as given, for the client to read its identifiers from.
 */
import type { z } from 'zod';
import { ProviderUnreadable } from './errors.ts';
import { parseJsonLenient } from './json.ts';
import type { Redactor } from './redact.ts';

export function readAnswer<T>(
  provider: string,
  operation: string,
  text: string,
  schema: z.ZodType<T>,
  redactor: Redactor,
): { data: T; json: unknown } {
  // The provider has no reason to echo credentials, but a refusal may quote the request it refused, and the
  // excerpt lands in logs and records. Only built when there is an error to show it in.
  const shown = () => redactor.text(text);
  let json: unknown;
  try {
    json = parseJsonLenient(text);
  } catch (err) {
    // The parser's own message quotes the start of the text, which may be the very secret.
    throw new ProviderUnreadable(provider, operation, 'not JSON', shown(), redactor.error(err));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ProviderUnreadable(provider, operation, `unexpected shape (${where}${issue?.message ?? 'invalid'})`, shown());
  }
  return { data: parsed.data, json: redactor.deep(json) };
}
