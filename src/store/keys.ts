/**
 * Every Redis key the project owns, with its lifetime beside it: the store's, the broadcasts', WhatsApp's
 * (src/channels/whatsapp, src/store/whatsapp-auth.ts) and the schema version's. No other file builds a
 * key. Keys one Lua script (or one MULTI) touches share one hash tag: a user's (`{telegram:123}`), a
 * broadcast's (`{bc:<id>}`), WhatsApp's (`{wa}`) or the global one (`{g}`). That keeps each step on one slot;
 * the bot connects with a single-node client, not a Cluster one.
 */
import type { UserId } from '../bot/channel.ts';
import { OP_RECORD_SECONDS } from '../payments/ledger.ts';

export const TTL = {
  /** Handled message ids: contract rule 8 asks for at least 24 h. */
  messageSeconds: 26 * 3600,
  /** A finished broadcast's record and who got it: 30 days, for the admin's questions. */
  broadcastSeconds: 30 * 86400,
  /** A money operation's record: a retry within it is answered from the record. */
  opSeconds: OP_RECORD_SECONDS,
  /** A message WhatsApp sent, kept for Baileys' getMessage (a phone that could not decrypt it asks again). */
  waSentSeconds: 24 * 3600,
  /** Quotes expire by their own `expiresAt` (QUOTE_TTL_SECONDS). */
} as const;

export function keys(prefix: string) {
  const u = (user: UserId) => `${prefix}{${user}}`;
  const wa = (name: string) => `${prefix}{wa}:${name}`;
  return {
    /** String, TTL.messageSeconds: a delivery already handled. */
    message: (user: UserId, id: string) => `${u(user)}:msg:${id}`,
    /** String counter, PX the flood window from the window's first message: messages in the window. */
    flood: (user: UserId) => `${u(user)}:flood`,
    /**
     * Hash {reseller, name, firstSeen, pin, pinFails, pinLockedUntil, pinTryLeases, account,
     * identities, last, upline, chain}; kept forever. One hash serves the identity (firstSeen, account: the
     * account it is linked to) and the account named as it (the rest; identities and chain as JSON lists, last:
     * the identity last written from). pinTryLeases: when each PIN comparison claimed and not yet ended stops
     * counting (ms, comma-separated, oldest first); pinTries / pinTriesUntil of schema 2 are no longer read.
     */
    user: (user: UserId) => `${u(user)}:user`,
    /** String JSON Quote; PX until the quote's expiresAt. */
    quote: (user: UserId) => `${u(user)}:quote`,
    /** String integer rupiah; kept forever. */
    saldo: (user: UserId) => `${u(user)}:saldo`,
    /** String integer rupiah, the commission balance; kept forever (it is the sum of commissionLedger). */
    commission: (account: UserId) => `${u(account)}:commission`,
    /** List of JSON LedgerEntry of the commission book (`saldoAfter`: the commission balance), oldest first; kept forever. */
    commissionLedger: (account: UserId) => `${u(account)}:commission-ledger`,
    /** Set of the account's direct downlines; kept forever. */
    downlines: (account: UserId) => `${u(account)}:downlines`,
    /** Hash markupKey (`*`, a code, `<downline>|<code or *>`) → what this upline adds, in rupiah; kept forever. */
    netMarkups: (account: UserId) => `${u(account)}:netmarkups`,
    /** List of JSON LedgerEntry, oldest first; kept forever (the saldo is its sum). */
    ledger: (user: UserId) => `${u(user)}:ledger`,
    /** Hash of one Transaction's fields; kept forever. */
    tx: (user: UserId, txId: string) => `${u(user)}:tx:${txId}`,
    /** List of the user's transaction ids, newest first; kept forever. */
    txs: (user: UserId) => `${u(user)}:txs`,
    /** List of JSON TxEvent, oldest first; kept forever beside its transaction. */
    txLog: (user: UserId, txId: string) => `${u(user)}:txlog:${txId}`,
    /** String txId, 2 days: what this user paid to a product and number on a WIB day (the duplicate guard). */
    sameDay: (user: UserId, day: string, product: string, customerNo: string) => `${u(user)}:sameday:${day}:${product}|${customerNo}`,
    /** Hash of a deposit ticket; kept 7 days so a late ACC hears "expired" rather than "unknown". */
    ticket: (user: UserId, id: string) => `${u(user)}:ticket:${id}`,
    /**
     * Hash ticket id → `o|createdAt|expiresAt|nominal` (open) or `r|expiresAt|replacedBy` (replaced): the
     * user's cap, and the mark ACC refuses a replaced ticket by. Paid ones leave it at ACC, expired ones at
     * the next TIKET; PX a week past its newest ticket's expiry.
     */
    tickets: (user: UserId) => `${u(user)}:tickets`,
    /** Hash of a transfer on the sender's side; kept forever. */
    transfer: (user: UserId, id: string) => `${u(user)}:transfer:${id}`,
    /**
     * String JSON `{"by": sender, …outcome}`, TTL.opSeconds: a money operation applied to this account (see
     * src/payments/ledger.ts). Sent again, the operation answers this record and changes nothing.
     */
    op: (account: UserId, opId: string) => `${u(account)}:op:${opId}`,
    /** String account, PX 10 minutes (TAUTKAN): a link code; taken with GETDEL so it is used once. */
    linkCode: (code: string) => `${prefix}{link:${code}}`,
    /** Hash of a bank mutation Moota pushed (src/bot/store/deposits.ts); kept forever, the books' evidence. */
    mutation: (id: string) => `${prefix}{g}:mutation:${id}`,
    /** Sorted set of mutation ids by when they arrived (ms): the listing by date. */
    mutationsByDate: () => `${prefix}{g}:mutations`,
    /** Hash of a QRIS deposit asked of Tripay, by our merchant_ref; kept forever. */
    qris: (id: string) => `${prefix}{g}:qris:${id}`,
    /** Sorted set of QRIS deposit ids by when they were made (ms). */
    qrisByDate: () => `${prefix}{g}:qris-deposits`,
    /** Hash ticket id → user. */
    ticketOwner: () => `${prefix}{g}:ticket-owner`,
    /**
     * Sorted set of held ticket amounts by expiry (ms): no two open tickets share an amount. An amount is held
     * from just before its ticket opens until it is paid, replaced or expired, so it covers every open ticket.
     */
    ticketAmounts: () => `${prefix}{g}:ticket-amounts`,
    /** Hash held amount → the ticket id holding it, beside ticketAmounts. */
    ticketHolders: () => `${prefix}{g}:ticket-holders`,
    /** Set of every user who has messaged the bot (broadcasts). */
    users: () => `${prefix}{g}:users`,
    /** Set of the users who are resellers now. */
    resellers: () => `${prefix}{g}:resellers`,
    /** Hash product code (or `*`) → markup in rupiah; kept forever. */
    markups: () => `${prefix}{g}:markups`,
    /** Sorted set `user|txId` by due time (ms): transactions that need a look. */
    due: () => `${prefix}{g}:due`,
    /** Hash txId → user, for admin look-ups. */
    owner: () => `${prefix}{g}:owner`,
    /** String integer, kept forever: the version of the data layout under this prefix (src/store/migrate.ts). */
    schema: () => `${prefix}{g}:schema`,
    /** String owner token, PX while one process runs the start-up migrations; the others wait for it. */
    schemaLock: () => `${prefix}{g}:schema-lock`,
    /** String, caller's TTL: cached provider data (price lists). */
    cache: (name: string) => `${prefix}{g}:cache:${name}`,
    // A broadcast's own keys share its `{bc:<id>}` hash tag, so its scripts touch one slot.
    /** Hash: the Broadcast's fields, its lease (owner, leaseUntil) and counts; kept TTL.broadcastSeconds after it ends. */
    broadcast: (id: string) => `${prefix}{bc:${id}}:meta`,
    /** List of one channel's recipients not yet taken, emptied as the broadcast runs. */
    broadcastTodo: (id: string, lane: string) => `${prefix}{bc:${id}}:todo:${lane}`,
    /** Hash recipient → taken | sent | failed | skipped: a recipient is taken once, ever; kept as the broadcast. */
    broadcastDone: (id: string) => `${prefix}{bc:${id}}:done`,
    /** Sorted set of running broadcast ids by when a worker should next look (ms). */
    broadcasts: () => `${prefix}{g}:broadcasts`,
    // WhatsApp's keys share the `{wa}` hash tag, so the login's MULTI touches one slot.
    /** String JSON, Baileys' creds: the WhatsApp login; kept until WhatsApp logs the device out. */
    waCreds: () => wa('auth:creds'),
    /** Set of the Signal key types stored (so a logout finds them all); kept as the login. */
    waKeyTypes: () => wa('auth:types'),
    /** Hash key id → JSON, one per Signal key type; kept as the login (Baileys deletes what it no longer needs). */
    waKeys: (type: string) => wa(`auth:keys:${type}`),
    /** String owner, PX the lease's ttl (30 s, src/channels/whatsapp/lease.ts): the one process connected to WhatsApp. */
    waLease: () => wa('lease'),
    /** Hash user → JSON {jid, at}: who wrote to the bot on WhatsApp and from which chat; kept forever. */
    waContacts: () => wa('contacts'),
    /** String JSON message, TTL.waSentSeconds: a message the bot sent, by its WhatsApp id. */
    waSent: (id: string) => wa(`sent:${id}`),
    /** Lists of JSON items to send, urgent ones first; emptied as they are sent. */
    waOutbox: (lane: 'urgent' | 'bulk') => wa(`outbox:${lane}`),
    /** List of the items taken for sending and not yet sent: put back in front by the next holder of the lease. */
    waOutboxInflight: () => wa('outbox:inflight'),
  };
}

export type Keys = ReturnType<typeof keys>;

export function dueMember(user: UserId, txId: string): string {
  return `${user}|${txId}`;
}

export function parseDueMember(member: string): { user: UserId; txId: string } {
  const i = member.lastIndexOf('|');
  return { user: member.slice(0, i), txId: member.slice(i + 1) };
}
