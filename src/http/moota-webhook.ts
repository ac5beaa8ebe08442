/**
 * `POST /deposit/moota`: Moota's push of new bank mutations (docs/moota-notes.md), signed in the `Signature`
 * header as hex HMAC-SHA256 of the raw body with the webhook's secret token. The mutations reach
 * `onMutations` parsed (integer rupiah, debits flagged) and the push is acknowledged only after it resolved:
 * Moota takes anything but a timely 2xx as a failure and pushes again, so what is not stored is never lost,
 * and what is pushed again must change nothing (the receiver acts once per `mutationId`). Moota wants its
 * answer within about 5 seconds: `onMutations` stores and matches, it does not notify.
 */
import type { Log } from '../log.ts';
import { type MootaMutation, mootaPush } from '../providers/moota/schemas.ts';
import type { RouteHandler } from './server.ts';
import { signedWebhookRoute } from './signed-webhook.ts';

export const MOOTA_SIGNATURE_HEADER = 'signature';

export interface MootaWebhookOptions {
  /** MOOTA_WEBHOOK_SECRET: the secret token set on the webhook in Moota's dashboard. */
  secret: string;
  /** Stores and acts on the push; resolves once it is safe for Moota to forget it. */
  onMutations: (mutations: MootaMutation[]) => Promise<void>;
  log: Log;
  /** Bytes; 1 MB by default (raw-body.ts). */
  limit?: number;
}

export function mootaWebhookRoute(opts: MootaWebhookOptions): RouteHandler {
  return signedWebhookRoute({
    name: 'moota',
    secret: opts.secret,
    signatureHeader: MOOTA_SIGNATURE_HEADER,
    schema: mootaPush,
    log: opts.log,
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    async handle(mutations) {
      opts.log.info(
        { webhook: 'moota', mutations: mutations.length, credits: mutations.filter((m) => m.credit).length },
        'moota push',
      );
      await opts.onMutations(mutations);
    },
  });
}
