/**
 * The fake Bot API server (test/helpers/fake-bot-api.ts) reads JSON only, and a photo uploaded from a Buffer
 * reaches the Bot API as multipart/form-data. This loopback front answers sendPhoto itself, reading the form as
 * Telegram would, and passes every other call through to the fake unchanged, so long polling, sendMessage and
 * the fake's own records work as in every other Telegram test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InlineKeyboardMarkup, MessageEntity } from 'grammy/types';
import type { FakeBotApi } from '../../helpers/fake-bot-api.ts';

export interface SentPhoto {
  chat_id: number;
  message_id: number;
  photo: { name: string; type: string; bytes: Buffer };
  caption?: string;
  caption_entities?: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup;
  at: number;
}

export interface PhotoApi {
  /** The apiRoot to give grammY instead of the fake's. */
  url: string;
  photos: SentPhoto[];
  /** Every Bot API method called through the front, in order of arrival. */
  order: string[];
  /** The next `times` sendPhoto calls are answered with this error (429 with retry_after when given). */
  failNext(errorCode: number, description: string, opts?: { times?: number; retryAfter?: number }): void;
  /** sendPhoto calls answered with an error. */
  refused: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Part {
  data: Buffer;
  filename?: string;
  type: string;
}

/**
 * A multipart/form-data body as grammY writes it (`content-disposition:form-data;name="x";filename=y.png`, no
 * space after the colon, the file name unquoted): Telegram reads it, Node's own FormData parser refuses it.
 */
function readMultipart(body: Buffer, boundary: string): Map<string, Part> {
  const parts = new Map<string, Part>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // Between the delimiter's CRLF and the CRLF before the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const data = part.subarray(split + 4);
    const disposition = /content-disposition:\s*form-data(.*)/i.exec(head)?.[1] ?? '';
    const param = (key: string) => new RegExp(`;\\s*${key}=(?:"([^"]*)"|([^;\\r\\n]*))`, 'i').exec(disposition);
    const name = param('name');
    const filename = param('filename');
    const type = /content-type:\s*(\S+)/i.exec(head)?.[1] ?? '';
    if (name) parts.set(name[1] ?? name[2]!, { data: Buffer.from(data), type, ...(filename ? { filename: filename[1] ?? filename[2]! } : {}) });
    at = next;
  }
  return parts;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startPhotoApi(api: FakeBotApi): Promise<PhotoApi> {
  const photos: SentPhoto[] = [];
  const order: string[] = [];
  let failure: { error_code: number; description: string; retryAfter?: number; times: number } | undefined;
  let refused = 0;
  // Past the fake's own message ids, so a photo and a text never share one.
  let nextMessageId = 1_000_000;

  async function sendPhoto(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    if (failure && failure.times > 0) {
      failure.times--;
      refused++;
      const { error_code, description, retryAfter } = failure;
      return answer(res, error_code, { ok: false, error_code, description, ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) });
    }
    const boundary = /^multipart\/form-data;\s*boundary=(.+)$/i.exec(String(req.headers['content-type'] ?? ''))?.[1];
    if (!boundary) return answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: the front expects an upload' });
    const parts = readMultipart(body, boundary);
    const field = (name: string) => parts.get(name)?.data.toString('utf8');
    // The file is a part of its own, named by the field as `attach://<part>`, as the Bot API reads uploads.
    const attached = field('photo')?.match(/^attach:\/\/(.+)$/)?.[1];
    const file = attached ? parts.get(attached) : parts.get('photo');
    if (!file?.filename) return answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: there is no photo in the request' });
    // grammY sends objects in a form as JSON strings, as the Bot API reads them.
    const json = <T>(name: string): T | undefined => {
      const v = field(name);
      return v === undefined ? undefined : (JSON.parse(v) as T);
    };
    const chat_id = Number(field('chat_id'));
    const caption = field('caption');
    const caption_entities = json<MessageEntity[]>('caption_entities');
    const reply_markup = json<InlineKeyboardMarkup>('reply_markup');
    const message_id = nextMessageId++;
    photos.push({
      chat_id,
      message_id,
      photo: { name: file.filename, type: file.type, bytes: file.data },
      ...(caption !== undefined ? { caption } : {}),
      ...(caption_entities ? { caption_entities } : {}),
      ...(reply_markup ? { reply_markup } : {}),
      at: Date.now(),
    });
    return answer(res, 200, {
      ok: true,
      result: {
        message_id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chat_id, type: 'private', first_name: 'User' },
        photo: [{ file_id: `ph${message_id}`, file_unique_id: `ph${message_id}`, width: 256, height: 256 }],
        ...(caption !== undefined ? { caption } : {}),
        ...(caption_entities ? { caption_entities } : {}),
        ...(reply_markup ? { reply_markup } : {}),
      },
    });
  }

  async function passThrough(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const headers: Record<string, string> = {};
    if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
    const r = await fetch(`${api.url}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, ...(body.length > 0 ? { body } : {}) });
    const text = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json', 'content-length': text.length });
    res.end(text);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const method = new URL(req.url ?? '/', 'http://front').pathname.match(/^\/bot[^/]+\/(\w+)$/)?.[1];
      if (method) order.push(method);
      if (method === 'sendPhoto') return sendPhoto(req, res, body);
      return passThrough(req, res, body);
    })().catch((err: unknown) => {
      if (!res.headersSent) answer(res, 500, { ok: false, error_code: 500, description: `front: ${String(err)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    photos,
    order,
    get refused() {
      return refused;
    },
    failNext(error_code, description, opts = {}) {
      failure = { error_code, description, times: opts.times ?? 1, ...(opts.retryAfter ? { retryAfter: opts.retryAfter } : {}) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
