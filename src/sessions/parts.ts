/**
 * The store port cut by concern, so each implementation keeps one short file per concern (src/sessions/redis/,
 * src/sessions/memory/) and composes them into the one Store.
 */
import type { Store } from '../bot/store.ts';

export type UsersPart = Pick<Store, 'admit' | 'touchUser' | 'getUser' | 'allUsers' | 'setReseller' | 'resellers' | 'markups' | 'setMarkup' | 'getPin' | 'setPin' | 'pinTry' | 'pinFailed' | 'pinPassed' | 'getCache' | 'setCache'>;
export type PaymentsPart = Pick<Store, 'putQuote' | 'getQuote' | 'dropQuote' | 'getSaldo' | 'ledger' | 'patchTx' | 'getTx' | 'txOwner' | 'listTx' | 'logTx' | 'txLog' | 'schedule' | 'claimDue' | 'unschedule' | 'scheduled' | 'stats'>;
export type DeskPart = Pick<Store, 'openTicket' | 'getTicket' | 'getTransfer'>;
/** The Store's money methods from before the ledger port, kept for the callers not yet moved to it. */
export type LegacyMoneyPart = Pick<Store, 'adjustSaldo' | 'acceptTicket' | 'transferOut' | 'transferIn'>;
export type BroadcastsPart = Pick<Store, 'createBroadcast' | 'getBroadcast' | 'dueBroadcasts' | 'leaseBroadcast' | 'takeRecipient' | 'recordRecipient' | 'finishBroadcast' | 'setBroadcastProgress'>;
