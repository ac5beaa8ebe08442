/**
 * Wires deposits without a human into one process: the Moota webhook and the Tripay callback routes, the
 * Tripay client, and in sandbox mode both simulators on loopback (posting to this process's own HTTP server, as
 * Moota and Tripay would), and the operations chat commands use (DepositOps). The money rules are in
 * src/payments/auto-deposits.ts; this file only connects them.
 */
import { randomBytes } from 'node:crypto';
import type { DepositOps, QrisOpened } from './bot/context.ts';
import type { Reply, UserId } from './bot/channel.ts';
import { rupiah } from './bot/format.ts';
import type { T } from './bot/i18n.ts';
import type { Store } from './bot/store.ts';
import type { Config } from './config.ts';
import type { RouteHandler } from './http/server.ts';
import { mootaWebhookRoute } from './http/moota-webhook.ts';
import { tripayCallbackRoute } from './http/tripay-callback.ts';
import type { Log } from './log.ts';
import type { Metrics } from './metrics.ts';
import { createAutoDeposits, type AutoDeposits, type DepositEvent } from './payments/auto-deposits.ts';
import { startMootaSimulator, type MootaSimulator } from './providers/moota/simulator.ts';
import { createTripayClient, QrisAmountOutOfRange, type TripayClient } from './providers/tripay/client.ts';
import { renderQrPng } from './providers/tripay/qr.ts';
import { startTripaySimulator, type TripaySimulator } from './providers/tripay/simulator.ts';

export const MOOTA_PATH = '/deposit/moota';
export const TRIPAY_PATH = '/deposit/tripay';
/** How long a QRIS code can be paid: within what Tripay allows for QRIS (10–60 minutes). */
const QRIS_EXPIRY_SECONDS = 30 * 60;

export interface DepositWiring {
  service: AutoDeposits;
  ops: DepositOps;
  /** The webhook routes this process serves (none when neither Moota nor Tripay is on). */
  routes: Record<string, RouteHandler>;
  /** Tells the sandbox's simulators where this process's HTTP server listens. */
  attachHttp(baseUrl: string): void;
  mootaSimulator?: MootaSimulator;
  tripaySimulator?: TripaySimulator;
  close(): Promise<void>;
}

export interface DepositDeps {
  config: Config;
  store: Store;
  log: Log;
  metrics?: Metrics;
  t: T;
  admins: ReadonlySet<UserId>;
  /** Reaches an account (where it last wrote from) or an admin; never throws. */
  notify: (user: UserId, reply: Reply) => Promise<void>;
  clock?: () => number;
}

export async function wireDeposits(deps: DepositDeps): Promise<DepositWiring> {
  const { config, store, log, t } = deps;
  const clock = deps.clock ?? Date.now;
  const sandbox = config.sandbox;
  const mootaSecret = sandbox ? randomBytes(16).toString('hex') : config.MOOTA_WEBHOOK_SECRET;
  let mootaSimulator: MootaSimulator | undefined;
  let tripaySimulator: TripaySimulator | undefined;
  let tripay: TripayClient | undefined;
  let privateKey: string | undefined;

  if (sandbox) {
    mootaSimulator = startMootaSimulator({ secret: mootaSecret! });
    tripaySimulator = await startTripaySimulator({ host: '127.0.0.1', port: 0 });
    privateKey = tripaySimulator.privateKey;
    tripay = createTripayClient({
      baseUrl: tripaySimulator.url, apiKey: tripaySimulator.apiKey, privateKey, merchantCode: tripaySimulator.merchantCode,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
    });
  } else if (config.TRIPAY_API_KEY && config.TRIPAY_PRIVATE_KEY && config.TRIPAY_MERCHANT_CODE) {
    privateKey = config.TRIPAY_PRIVATE_KEY;
    tripay = createTripayClient({
      baseUrl: config.TRIPAY_BASE_URL, apiKey: config.TRIPAY_API_KEY, privateKey, merchantCode: config.TRIPAY_MERCHANT_CODE,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
    });
  }

  const admins = () => [...deps.admins];
  async function tell(event: DepositEvent): Promise<void> {
    const toAdmins = (text: string) => Promise.all(admins().map((a) => deps.notify(a, { text })));
    switch (event.type) {
      case 'ticket-credited': {
        const vars = { id: event.ticket.id, amount: rupiah(event.ticket.amount), saldo: rupiah(event.saldo) };
        await deps.notify(event.ticket.user, { text: t('moota.credited', vars) });
        return;
      }
      case 'unmatched': {
        const m = event.mutation;
        await toAdmins(t('moota.unmatchedAdmin', { mutation: m.id, amount: rupiah(m.amount), description: m.description || '-', why: t(`moota.why.${event.why}`) }));
        return;
      }
      case 'expired-ticket': {
        const m = event.mutation;
        await toAdmins(t('moota.expiredAdmin', { mutation: m.id, amount: rupiah(m.amount), id: event.ticket.id, user: event.ticket.user }));
        return;
      }
      case 'qris-credited': {
        const d = event.deposit;
        await deps.notify(d.user, { text: t('qris.credited', { id: d.id, amount: rupiah(d.amount), saldo: rupiah(event.saldo) }) });
        if (event.late) await toAdmins(t('qris.lateAdmin', { id: d.id, user: d.user, amount: rupiah(d.amount) }));
        return;
      }
      case 'qris-closed': {
        const d = event.deposit;
        await deps.notify(d.user, { text: t('qris.closed', { id: d.id, status: t(`qris.status.${event.status}`) }) });
        return;
      }
      case 'qris-unknown':
        await toAdmins(t('qris.unknownAdmin', { reference: event.callback.reference, merchantRef: event.callback.merchantRef || '-' }));
    }
  }

  const service = createAutoDeposits({ store, log, ...(deps.metrics ? { metrics: deps.metrics } : {}), tell });

  const routes: Record<string, RouteHandler> = {};
  if (mootaSecret) {
    routes[MOOTA_PATH] = mootaWebhookRoute({
      secret: mootaSecret,
      log,
      onMutations: (list) => service.onMutations(list.map((m) => ({
        id: m.mutationId, amount: m.amount, type: m.type, date: m.date, description: m.description, whole: m.wholeRupiah,
      })), clock()),
    });
  }
  if (privateKey) {
    routes[TRIPAY_PATH] = tripayCallbackRoute({
      privateKey,
      log,
      onCallback: async (c) => {
        // An unknown reference is told to the admins and answered 200: Tripay would only retry it in vain.
        await service.onQrisCallback({
          reference: c.reference, merchantRef: c.merchantRef ?? '', status: c.status, totalAmount: c.totalAmount,
        }, clock());
      },
    });
  }

  async function openQris(user: UserId, amount: number, now: number): Promise<QrisOpened> {
    if (!tripay) return { ok: false, reason: 'off' };
    const id = `Q${randomBytes(5).readUIntBE(0, 5).toString(36).toUpperCase().padStart(8, '0')}`;
    try {
      const p = await tripay.createQris({
        merchantRef: id, deposit: amount, feePaidBy: config.QRIS_FEE_PAID_BY, customerName: user, expiresInSeconds: QRIS_EXPIRY_SECONDS,
      });
      const deposit = {
        id, user, amount: p.credit, pay: p.amount, fee: p.fee, feePaidBy: p.feePaidBy, reference: p.reference, status: 'open' as const,
        createdAt: now, expiresAt: p.expiresAt, ...(p.checkoutUrl ? { checkoutUrl: p.checkoutUrl } : {}),
      };
      await store.putQris(deposit);
      const qrPng = await renderQrPng(p.qrString).catch((err: unknown) => {
        log.warn({ err: String(err), id }, 'the QR image could not be drawn; the link is given instead');
        return undefined;
      });
      return qrPng ? { ok: true, deposit, qrPng } : { ok: true, deposit };
    } catch (err) {
      if (err instanceof QrisAmountOutOfRange) return { ok: false, reason: 'range', min: err.min, max: err.max };
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'a QRIS deposit could not be opened');
      return { ok: false, reason: 'unavailable' };
    }
  }

  async function sandboxPay(id: string): Promise<'bank' | 'qris' | 'unknown' | 'closed'> {
    if (id.startsWith('Q')) {
      const d = await store.getQris(id);
      if (!d || !tripaySimulator) return 'unknown';
      if (d.status !== 'open') return 'closed';
      await tripaySimulator.pay(d.reference);
      return 'qris';
    }
    const ticket = await store.getTicket(id);
    if (!ticket || !mootaSimulator) return 'unknown';
    if (ticket.status !== 'open') return 'closed';
    await mootaSimulator.credit(ticket.amount, `TRANSFER DARI ${ticket.user.toUpperCase()}`);
    return 'bank';
  }

  const ops: DepositOps = {
    qris: tripay !== undefined,
    moota: mootaSecret !== undefined,
    openQris,
    acceptByHand: (...a) => service.acceptByHand(...a),
    mutations: (from, to, statuses) => store.mutations(from, to, statuses),
    ...(sandbox ? { sandboxPay } : {}),
  };

  return {
    service, ops, routes,
    ...(mootaSimulator ? { mootaSimulator } : {}),
    ...(tripaySimulator ? { tripaySimulator } : {}),
    attachHttp(baseUrl) {
      mootaSimulator?.setTarget(`${baseUrl}${MOOTA_PATH}`);
      tripaySimulator?.setCallbackUrl(`${baseUrl}${TRIPAY_PATH}`);
    },
    async close() {
      // Notices still on their way: nothing is left dangling past the stop.
      await service.notified();
      await Promise.all([mootaSimulator?.close(), tripaySimulator?.close(), tripay?.close()]);
    },
  };
}
