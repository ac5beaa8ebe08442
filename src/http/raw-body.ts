/**
 * The raw body of a webhook, read at most once and never past a limit: a signature is checked on these exact
 * bytes (a re-serialised JSON would not match), and a body over the limit is refused from its declared
 * length before a byte of it is read, or as soon as the stream passes the limit when no length was declared.
 */
import type { IncomingMessage } from 'node:http';

/** Every webhook the bot serves carries far less; anything larger is not the sender we expect. */
export const MAX_WEBHOOK_BODY_BYTES = 1 << 20;

export type RawBody = { ok: true; body: Buffer } | { ok: false; status: 413 | 400 };

export function readRawBody(req: IncomingMessage, limit = MAX_WEBHOOK_BODY_BYTES): Promise<RawBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    // Not read: the connection is closed after the answer, so the unread body cannot be taken for a request.
    return Promise.resolve({ ok: false, status: 413 });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: RawBody) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, status: 413 });
        // Stop reading: what is left is the sender's problem, not our memory's.
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => finish({ ok: false, status: 400 }));
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
  });
}
