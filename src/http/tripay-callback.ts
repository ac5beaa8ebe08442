/**
 * `POST /deposit/tripay`: Tripay's callback (docs/tripay-notes.md), signed in `X-Callback-Signature` as hex
 * HMAC-SHA256 of the raw body with the merchant's private key, event `payment_status` in `X-Callback-Event`.
 * The callback reaches `onCallback` parsed and Tripay is answered `{"success":true}` only after it resolved:
 * anything else, Tripay counts as failed and sends the same callback again (every 2 minutes, 3 times at most),
 * so a callback that was not stored comes back, and one that comes back must change nothing (the receiver
 * acts once per `reference`). A callback for a reference the receiver does not know is the receiver's to
 * answer: resolving tells Tripay to stop, throwing makes it try again.
 */
import type { Log } from '../log.ts';
import { type TripayCallback, tripayCallback } from '../providers/tripay/schemas.ts';
import type { RouteHandler } from './server.ts';
import { signedWebhookRoute } from './signed-webhook.ts';

export const TRIPAY_SIGNATURE_HEADER = 'x-callback-signature';
export const TRIPAY_EVENT_HEADER = 'x-callback-event';
export const TRIPAY_PAYMENT_EVENT = 'payment_status';

export interface TripayCallbackOptions {
  /** TRIPAY_PRIVATE_KEY: the same key that signs transaction requests. */
  privateKey: string;
  onCallback: (callback: TripayCallback) => Promise<void>;
  log: Log;
  limit?: number;
}

export function tripayCallbackRoute(opts: TripayCallbackOptions): RouteHandler {
  return signedWebhookRoute({
    name: 'tripay',
    secret: opts.privateKey,
    signatureHeader: TRIPAY_SIGNATURE_HEADER,
    schema: tripayCallback,
    log: opts.log,
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    // Tripay names one event today. A signed callback of another kind is Tripay's, but not a payment status:
    // refused, never read as one. A callback without the header is read (the signature already says whose).
    precheck(req) {
      const event = req.headers[TRIPAY_EVENT_HEADER];
      return event === undefined || event === TRIPAY_PAYMENT_EVENT ? undefined : 'unrecognized callback event';
    },
    async handle(callback) {
      opts.log.info({ webhook: 'tripay', reference: callback.reference, status: callback.status }, 'tripay callback');
      await opts.onCallback(callback);
    },
  });
}
