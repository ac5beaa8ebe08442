/**
 * The operator's real HTTP server with one webhook route, and raw requests to it: the webhook tests send
 * exact bytes (a signature is over bytes), declared lengths that the body never reaches, and chunked bodies.
 */
import { request } from 'node:http';
import { createMetrics } from '../../src/metrics.ts';
import type { RouteHandler } from '../../src/http/server.ts';
import { type HttpServer, startHttpServer } from '../../src/http/server.ts';
import type { Log } from '../../src/log.ts';

const servers: HttpServer[] = [];

export async function serveRoute(path: string, route: RouteHandler, log: Log): Promise<string> {
  const metrics = createMetrics();
  const http = await startHttpServer({
    app: { metrics, health: async () => ({ ok: true, store: { kind: 'memory', up: true }, channels: {}, states: {} }) },
    log,
    port: 0,
    host: '127.0.0.1',
    routes: { [path]: route },
  });
  servers.push(http);
  return `${http.url}${path}`;
}

export async function closeRoutes(): Promise<void> {
  for (const s of servers.splice(0)) await s.close();
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POSTs `body` as given (bytes, not re-serialised) with `headers`. */
export function postRaw(url: string, body: string | Buffer, headers: Record<string, string> = {}, method = 'POST'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Declares `declared` bytes and sends none: the answer can only come from a server that refused the body
 * from its length, without waiting to read it. Resolves with the status and the bytes actually written.
 */
export function declareOnly(url: string, declared: number, headers: Record<string, string> = {}): Promise<{ status: number; written: number; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(declared), ...headers } }, (res) => {
      const status = res.statusCode ?? 0;
      const closed = res.headers.connection === 'close';
      res.resume();
      res.on('end', () => {
        req.destroy();
        resolve({ status, written: req.socket?.bytesWritten ?? 0, closed });
      });
    });
    req.on('error', (err) => {
      // The server closing a connection whose body it refused is expected once the answer is in.
      if ((err as { code?: string }).code !== 'ECONNRESET') reject(err);
    });
    req.flushHeaders();
  });
}

/** Streams `size` bytes chunked (no declared length), 64 KiB at a time. */
export function postChunked(url: string, size: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (err) => {
      if ((err as { code?: string }).code !== 'ECONNRESET' && (err as { code?: string }).code !== 'EPIPE') reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** A promise and the function that settles it: to hold a handler open while the test looks. */
export function deferred(): { promise: Promise<void>; release: () => void } {
  let release = () => {};
  const promise = new Promise<void>((r) => {
    release = r;
  });
  return { promise, release };
}
