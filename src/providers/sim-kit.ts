/** What every provider simulator needs: an HTTP server on loopback, answers, and sleeps that end at close. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SimAnswer = { status?: number; body: string | object };

export const BAD_GATEWAY: SimAnswer = { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };

/** Sleeps that all wake at once when the simulator closes, so a hung call never outlives it. */
export function createSleeper() {
  const sleepers = new Set<() => void>();
  return {
    sleep(ms: number): Promise<void> {
      if (ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        sleepers.add(wake);
      });
    },
    wakeAll(): void {
      for (const wake of [...sleepers]) wake();
    },
  };
}

export interface SimServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `handle` on host:port; `prefix` is appended to the base URL (`/json` for MMBC). */
export async function serveSim(
  opts: { host?: string; port?: number; prefix?: string },
  handle: (req: IncomingMessage, raw: string) => Promise<SimAnswer | undefined>,
  onClose: () => void,
): Promise<SimServer> {
  let closed = false;
  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) send(res, { status: 500, body: 'Internal Server Error' });
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = await handle(req, await readBody(req));
    if (!closed) send(res, answer ?? { status: 404, body: 'Not Found' });
  }

  // Generous keep-alive so the client's pooled sockets are not closed under it between calls.
  server.keepAliveTimeout = 30_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${opts.prefix ?? ''}`,
    async close() {
      if (closed) return;
      closed = true;
      onClose();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}

export function send(res: ServerResponse, answer: SimAnswer): void {
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const json = typeof answer.body !== 'string';
  res.writeHead(answer.status ?? 200, {
    'content-type': json ? 'application/json' : 'text/html; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** FNV-1a: stable across runs, so the same customer always gets the same bill. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
