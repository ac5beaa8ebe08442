/**
 * `npm start`: reads the configuration, runs the bot on its channels and the operator's HTTP server, stops
 * cleanly on SIGTERM or end of input.
 */
// First: V8 flags, before anything else allocates (see runtime.ts).
import './runtime.ts';
import { createApp, SANDBOX_SALDO, SANDBOX_USER, type App } from './app.ts';
import type { Channel } from './bot/channel.ts';
import { rupiah } from './bot/format.ts';
import { translator } from './bot/i18n.ts';
import { createConsoleChannel } from './channels/console/index.ts';
import { createTelegramChannel, type TelegramChannel } from './channels/telegram/index.ts';
import { startWhatsApp } from './channels/whatsapp/start.ts';
import { ConfigError, configSecrets, loadConfig, type Config } from './config.ts';
import { isFinal } from './bot/store.ts';
import { startHttpServer, type HttpServer } from './http/server.ts';
import { createLog, type Log } from './log.ts';
import { SchemaTooNew } from './store/migrate.ts';

function channelsWanted(config: Config): string[] {
  if (config.CHANNELS) return config.CHANNELS;
  const list: string[] = [];
  if (config.TELEGRAM_BOT_TOKEN) list.push('telegram');
  if (config.WHATSAPP_ENABLED === '1') list.push('whatsapp');
  return list.length > 0 ? list : ['console'];
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const wanted = channelsWanted(config);
  if (wanted.includes('telegram') && !config.TELEGRAM_BOT_TOKEN) {
    process.stderr.write('Configuration error: TELEGRAM_BOT_TOKEN is not valid: expected a bot token whenever CHANNELS lists telegram\n');
    process.exit(1);
  }
  const withConsole = wanted.includes('console');
  // In the terminal the conversation owns stdout, so the JSON logs go to stderr there; typed into by a person,
  // only warnings show unless LOG_LEVEL says otherwise, so log lines do not land in the middle of the chat.
  const chatting = withConsole && Boolean(process.stdin.isTTY) && !config.given.has('LOG_LEVEL');
  const log = createLog(chatting ? 'warn' : config.LOG_LEVEL, { secrets: configSecrets(config), ...(withConsole ? { destination: process.stderr } : {}) });
  let app: App;
  try {
    app = await createApp(config, { log });
  } catch (err) {
    // Most often Redis not running or not reachable at REDIS_URL: one line, as for a bad setting, not a stack.
    const why = err instanceof Error ? err.message : String(err);
    const hint = config.REDIS_URL && !(err instanceof SchemaTooNew) ? ' (is Redis running and reachable at REDIS_URL?)' : '';
    process.stderr.write(`Start failed: ${why}${hint}\n`);
    process.exit(1);
  }
  const t = translator(config.LOCALE);

  for (const name of wanted) {
    if (name !== 'console' && name !== 'telegram' && name !== 'whatsapp') log.error({ channel: name }, 'unknown channel');
  }

  const telegram = wanted.includes('telegram') ? telegramChannel(config, log) : undefined;
  // Up before any channel, so a webhook Telegram is told about has a server behind it.
  const http = await startHttp(app, config, log, telegram);

  let stopping: Promise<void> | undefined;
  const stop = (code: number) => {
    // Channels first (no new updates, in-flight work finished), then the server that served their webhook.
    stopping ??= app.stop().then(() => http?.close()).then(
      () => process.exit(code),
      (err: unknown) => {
        log.error({ err: String(err) }, 'stop failed');
        process.exit(1);
      },
    );
    return stopping;
  };
  process.once('SIGTERM', () => void stop(0));
  process.once('SIGINT', () => void stop(0));

  if (telegram) {
    try {
      await app.attach(telegram);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'Telegram did not start');
      await stop(1);
    }
  }

  if (wanted.includes('whatsapp')) {
    try {
      await startWhatsApp(app, config, log);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'WhatsApp did not start');
      await stop(1);
    }
  }

  if (withConsole) {
    const interactive = Boolean(process.stdin.isTTY);
    // In the sandbox one terminal may play several users (a downline, another chat account of a reseller).
    const switching = app.config.sandbox ? (user: string) => t('console.switched', { user }) : undefined;
    const console: Channel & { done: Promise<void> } = createConsoleChannel({
      input: process.stdin, output: process.stdout, interactive, ...(switching ? { switching } : {}),
      imageSaved: (path) => t('console.imageSaved', { path }),
    });
    const role = app.admins.has(SANDBOX_USER) ? 'admin' : (await app.store.getUser(SANDBOX_USER))?.reseller ? 'reseller' : 'customer';
    process.stdout.write(`${t('console.welcome', { user: SANDBOX_USER, role: t(`role.${role}`) })}\n`);
    if (app.config.sandbox) {
      const url = [app.simulator?.url, app.iakSimulator?.url].filter(Boolean).join(', ');
      const demo = app.admins.has(SANDBOX_USER) && app.store.kind === 'memory';
      process.stdout.write(`${demo ? t('console.sandbox', { url, saldo: rupiah(SANDBOX_SALDO) }) : t('console.sandboxNoDemo', { url })}\n`);
      process.stdout.write(`${t('console.switchHint')}\n`);
    }
    process.stdout.write('\n');
    await app.attach(console);
    await console.done;
    // What is still owed is a courtesy: a store that is down (or a stop already under way) must not turn the
    // end of input into a crash.
    try {
      const open = (await app.store.listTx(SANDBOX_USER, 50)).filter((tx) => !isFinal(tx.status));
      if (open.length > 0) process.stdout.write(`${t('console.owed', { ids: open.map((tx) => tx.id).join(', ') })}\n`);
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'open transactions unreadable at the end of input');
    }
    await stop(0);
  }
}

function telegramChannel(config: Config, log: Log): TelegramChannel {
  return createTelegramChannel({
    token: config.TELEGRAM_BOT_TOKEN!,
    apiRoot: config.TELEGRAM_API_ROOT,
    log,
    locale: config.LOCALE,
    ...(config.TELEGRAM_WEBHOOK_URL ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! } } : {}),
  });
}

/**
 * The health, metrics and webhook server. Without a webhook a busy port is logged and the bot runs on (a
 * terminal session must not fail because 8080 is taken); with one, Telegram could not reach us, so it stops.
 */
async function startHttp(app: App, config: Config, log: Log, telegram?: TelegramChannel): Promise<HttpServer | undefined> {
  const routes = { ...app.routes, ...(telegram?.webhook ? { [telegram.webhook.path]: telegram.webhook.handler } : {}) };
  try {
    const http = await startHttpServer({ app, log, host: config.HTTP_HOST, port: config.HTTP_PORT, routes });
    // The sandbox's Moota and Tripay post to this server, as the real ones post to the public URL.
    app.attachHttp(http.url);
    return http;
  } catch (err) {
    log.error({ err: String(err), host: config.HTTP_HOST, port: config.HTTP_PORT }, 'HTTP server did not start: no /healthz, /metrics or webhook');
    // Real webhooks (Telegram, Moota, Tripay, IAK's callback) would reach nothing: better stopped than deaf.
    // The sandbox's own simulators are the only ones posting to a sandbox, which then runs on without them.
    if (telegram?.webhook || (!config.sandbox && Object.keys(app.routes).length > 0)) {
      await app.stop();
      process.exit(1);
    }
    return undefined;
  }
}

await main();
