/**
 * A relay in front of the fake Bot API server that can make chosen methods go dead: `drop` cuts the
 * connection as the call arrives (a refused or reset connection, grammY's HttpError), `hang` never answers
 * (a black-holed network). It counts every call it sees, dead or not.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface DeadableApi {
  /** The apiRoot to give the bot instead of the fake server's. */
  url: string;
  /** Calls seen, by method, including those cut or left hanging. */
  seen: Record<string, number>;
  /** From now on calls of these methods (every method when none given) are cut as they arrive. */
  drop(...methods: string[]): void;
  /** From now on calls of these methods (every method when none given) are never answered. */
  hang(...methods: string[]): void;
  close(): Promise<void>;
}

export async function startDeadableApi(target: string): Promise<DeadableApi> {
  const seen: Record<string, number> = {};
  const mode = new Map<string, 'drop' | 'hang'>();
  let all: 'drop' | 'hang' | undefined;
  const sockets = new Set<Socket>();
  const { hostname, port } = new URL(target);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = (req.url ?? '').split('?')[0]!.split('/').pop() ?? '';
    seen[method] = (seen[method] ?? 0) + 1;
    const what = mode.get(method) ?? all;
    if (what === 'drop') return void req.socket.destroy();
    if (what === 'hang') return;
    const up = request({ hostname, port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => req.socket.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const set = (how: 'drop' | 'hang', methods: string[]) => {
    if (methods.length === 0) all = how;
    for (const m of methods) mode.set(m, how);
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    drop: (...methods) => set('drop', methods),
    hang: (...methods) => set('hang', methods),
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
