/**
 * The operator's HTTP server on HTTP_HOST:HTTP_PORT: GET /healthz, GET /metrics, and routes a channel adds (the
 * Telegram webhook). node:http is enough for three routes, and keeps the webhook's answer path short.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../app.ts';
import type { Log } from '../log.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpServerOptions {
  app: Pick<App, 'health' | 'metrics'>;
  log: Log;
  port: number;
  /**
   * Loopback by default: /metrics tells what the operator owes, and Telegram reaches a webhook through the
   * operator's TLS proxy anyway. `0.0.0.0` (HTTP_HOST, as compose sets it) for every interface.
   */
  host?: string;
  /** Exact path → handler, e.g. the Telegram webhook. */
  routes?: Record<string, RouteHandler>;
}

export interface HttpServer {
  /** The address listened on (`127.0.0.1`, `0.0.0.0`, …). */
  readonly host: string;
  readonly port: number;
  /** `http://<host>:<port>`, loopback when listening on every interface. */
  readonly url: string;
  /** Adds or replaces a route after start (a channel attached later). */
  route(path: string, handler: RouteHandler): void;
  /** Stops taking connections and waits for the open requests; idle keep-alive sockets are closed at once. */
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
const CLOSE_GRACE_MS = 5_000;
// A Redis that does not answer makes ioredis queue the ping; a probe wants an answer, and "down" is one.
const HEALTH_TIMEOUT_MS = 2_000;

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const { app, log } = opts;
  const routes = new Map(Object.entries(opts.routes ?? {}));

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes.get(path);
    if (route) return route(req, res);
    if (path === '/healthz' || path === '/metrics') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed\n');
      const served = path === '/healthz' ? healthz(res) : metrics(res);
      served.catch((err: unknown) => {
        log.error({ err: String(err), path }, 'http handler failed');
        if (!res.headersSent) plain(res, 500, 'internal error\n');
        else res.destroy();
      });
      return;
    }
    plain(res, 404, 'not found\n');
  });
  // A client that never finishes its headers must not hold a socket (slowloris); the webhook answers fast anyway.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  async function healthz(res: ServerResponse): Promise<void> {
    let body: { ok: boolean } & Record<string, unknown>;
    try {
      body = await withTimeout(app.health(), HEALTH_TIMEOUT_MS);
    } catch (err) {
      log.warn({ err: String(err) }, 'health check failed');
      body = { ok: false, error: 'health check failed' };
    }
    res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  // No store read here: the store's gauges are copied from the last background read (metrics.ts).
  async function metrics(res: ServerResponse): Promise<void> {
    const text = await app.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': app.metrics.registry.contentType });
    res.end(text);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? DEFAULT_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err: String(err) }, 'http server error'));
  const addr = server.address() as AddressInfo;
  const bound = opts.host ?? DEFAULT_HOST;
  const host = bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
  log.info({ host: addr.address, port: addr.port }, 'http server listening');

  let closing: Promise<void> | undefined;
  return {
    host: addr.address,
    port: addr.port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`,
    route(path, handler) {
      routes.set(path, handler);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
