/** `npm start`: reads the configuration, runs the bot on its channels, stops cleanly on SIGTERM or end of input. */
import { createApp, SANDBOX_SALDO, SANDBOX_USER } from './app.ts';
import type { Channel } from './bot/channel.ts';
import { rupiah } from './bot/format.ts';
import { translator } from './bot/i18n.ts';
import { createConsoleChannel } from './channels/console/index.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLog } from './log.ts';

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
  const withConsole = wanted.includes('console');
  // In the terminal the conversation owns stdout, so the JSON logs go to stderr there.
  const log = createLog(config.LOG_LEVEL, withConsole ? process.stderr : undefined);
  const app = await createApp(config, { log });
  const t = translator(config.LOCALE);

  for (const name of wanted) {
    if (name !== 'console') log.error({ channel: name }, 'this channel is not built yet; see the README');
  }

  let stopping: Promise<void> | undefined;
  const stop = (code: number) => {
    stopping ??= app.stop().then(
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

  if (withConsole) {
    const interactive = Boolean(process.stdin.isTTY);
    const console: Channel & { done: Promise<void> } = createConsoleChannel({ input: process.stdin, output: process.stdout, interactive });
    const role = app.admins.has(SANDBOX_USER) ? 'admin' : (await app.store.getUser(SANDBOX_USER))?.reseller ? 'reseller' : 'customer';
    process.stdout.write(`${t('console.welcome', { user: SANDBOX_USER, role: t(`role.${role}`) })}\n`);
    if (app.simulator) process.stdout.write(`${t('console.sandbox', { url: app.simulator.url, saldo: rupiah(SANDBOX_SALDO) })}\n`);
    process.stdout.write('\n');
    await app.attach(console);
    await console.done;
    const open = (await app.store.listTx(SANDBOX_USER, 50)).filter((tx) => tx.status !== 'SETTLED' && tx.status !== 'FAILED');
    if (open.length > 0) process.stdout.write(`${t('console.owed', { ids: open.map((tx) => tx.id).join(', ') })}\n`);
    await stop(0);
  }
}

await main();
