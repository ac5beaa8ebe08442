/**
 * Configured secrets taken out of whatever a biller said, before it is shown, logged or stored. A biller's
 * refusal may quote the request it refused (`password s3cret salah`, IAK echoing a sign), and its text goes to
 * the user's reply, the transaction record and the logs alike: the log's own redaction (log.ts) guards only
 * the log. Each secret is replaced by `***` wherever it appears inside a string, in the forms a biller may
 * echo it in: as sent in a JSON body, as sent in a form-encoded body, or escaped inside a JSON text.
 */

export const REDACTED = '***';

/**
 * Shorter values are left alone: a 3-character secret (`abc`, `123`) is indistinguishable from ordinary text
 * and amounts, so replacing it would mangle bills and receipts while protecting nothing a guess would not
 * find. log.ts draws the same line.
 */
export const MIN_SECRET_CHARS = 4;

export interface Redactor {
  /** Whether any secret is long enough to be looked for; when not, every method returns what it was given. */
  readonly active: boolean;
  text(s: string): string;
  /** Every string inside arrays and plain objects, however deep; the same value back when nothing matched. */
  deep<T>(value: T): T;
  /** An error's message, stack, own string fields (an excerpt, a reason) and cause, in place; returns it. */
  error<T>(err: T): T;
}

/** The forms a secret can be quoted in. Percent-encoding is matched in either case of its hex digits. */
function formsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const uri = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [secret, json, JSON.stringify(json).slice(1, -1), uri, lowerHex(uri), form, lowerHex(form)];
}

const NONE: Redactor = { active: false, text: (s) => s, deep: (v) => v, error: (e) => e };

export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const kept = secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_CHARS);
  // Longest first, so a secret that contains another (`sandbox-key` and `sandbox`) is not left half shown.
  const forms = [...new Set(kept.flatMap(formsOf))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return NONE;

  function text(s: string): string {
    let out = s;
    for (const f of forms) if (out.includes(f)) out = out.replaceAll(f, REDACTED);
    return out;
  }

  function deep<T>(value: T, seen = new WeakSet<object>()): T {
    if (typeof value === 'string') return text(value) as T;
    if (value === null || typeof value !== 'object' || seen.has(value)) return value;
    if (value instanceof Error) return error(value, seen);
    seen.add(value);
    if (Array.isArray(value)) {
      // Copied only once something changed: most answers carry no secret and come back as they were.
      let out: unknown[] | undefined;
      value.forEach((item, i) => {
        const r = deep(item as unknown, seen);
        if (r === item) return;
        out ??= [...value];
        out[i] = r;
      });
      return (out ?? value) as T;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const r = deep(item, seen);
      if (r === item) continue;
      out ??= { ...(value as Record<string, unknown>) };
      out[key] = r;
    }
    return (out ?? value) as T;
  }

  function error<T>(err: T, seen = new WeakSet<object>()): T {
    if (typeof err === 'string') return text(err) as T;
    if (!(err instanceof Error) || seen.has(err)) return deep(err, seen);
    seen.add(err);
    // In place, so the error keeps its class (ProviderUnreachable and the like) for whoever catches it.
    const fields = err as unknown as Record<string, unknown>;
    for (const key of ['message', 'stack', ...Object.keys(err)]) {
      const v = fields[key];
      if (key === 'cause') continue;
      const r = typeof v === 'string' ? text(v) : deep(v, seen);
      if (r !== v) {
        try {
          fields[key] = r;
        } catch {
          // a read-only field: the message and stack, which matter most, are writable on every Error
        }
      }
    }
    if (err.cause !== undefined) {
      const cause = error(err.cause, seen);
      if (cause !== err.cause) err.cause = cause;
    }
    return err;
  }

  return { active: true, text, deep: (v) => deep(v), error: (e) => error(e) };
}
