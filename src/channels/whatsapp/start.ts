/**
 * `WHATSAPP_ENABLED=1`: builds the WhatsApp channel on the real Baileys socket and attaches it to the app.
 * With REDIS_URL the login, the lease, the contacts and the shared queue live in Redis under the bot's prefix;
 * without it, in memory for this process only. The QR code (or the pairing code) is printed on stderr, so it
 * shows in the terminal without mixing into the JSON logs on stdout.
 */
import { createRedisClient, logRedisErrors } from '../../store/redis-client.ts';
import qrcode from 'qrcode-terminal';
import type { WAVersion } from '@whiskeysockets/baileys';
import type { App } from '../../app.ts';
import { translator } from '../../bot/i18n.ts';
import type { Config } from '../../config.ts';
import type { Log } from '../../log.ts';
import { createWhatsAppChannel, type WhatsAppChannel } from './index.ts';
import { makeSocket, waVersion } from './make-socket.ts';
import { memoryShared, redisShared } from './shared.ts';
import type { SocketFactory } from './socket.ts';

export interface StartWhatsAppOptions {
  /** Messages the user did not just ask for: one every [min, max] ms (default 3–6 s). */
  paceMs?: readonly [number, number];
  /** Where the QR or pairing code is printed (stderr). */
  output?: NodeJS.WritableStream;
  /** Tests: another socket than Baileys', and no version look-up. */
  makeSocket?: SocketFactory;
  version?: WAVersion;
}

export async function startWhatsApp(app: App, config: Config, log: Log, opts: StartWhatsAppOptions = {}): Promise<WhatsAppChannel> {
  const t = translator(config.LOCALE);
  const out = opts.output ?? process.stderr;
  const prefix = config.REDIS_PREFIX;
  const redis = config.REDIS_URL ? createRedisClient(config.REDIS_URL) : undefined;
  if (redis) logRedisErrors(redis, log, 'whatsapp');
  const shared = redis ? redisShared({ redis, prefix, log }) : memoryShared({ log });
  const version = opts.makeSocket ? undefined : (opts.version ?? (await waVersion(log)));
  const number = config.WHATSAPP_PAIRING_NUMBER;

  const channel = createWhatsAppChannel({
    ...shared,
    log,
    makeSocket: opts.makeSocket ?? makeSocket({ log, ...(version ? { version } : {}) }),
    ...(number ? { pairingNumber: number } : {}),
    ...(opts.paceMs ? { paceMs: opts.paceMs } : {}),
    onQr(qr) {
      qrcode.generate(qr, { small: true }, (art) => out.write(`\n${t('whatsapp.scanQr')}\n${art}\n`));
    },
    onPairingCode(code) {
      const shown = code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
      out.write(`\n${t('whatsapp.pairingCode', { number: number ?? '', code: shown })}\n\n`);
    },
  });

  const stopChannel = channel.stop;
  const withRedis: WhatsAppChannel = {
    ...channel,
    async stop() {
      await stopChannel();
      redis?.disconnect();
    },
  };
  await app.attach(withRedis);
  return withRedis;
}
