/**
 * The soak's reseller network: trees of resellers registered as `DAFTAR` would (several roots registered by the
 * operator, each tree of a random depth up to MAX_NETWORK_DEPTH), markups at every level (general, per product,
 * per downline), and at the end the commission books held against the quotes of the SETTLED transactions.
 */
import type { UserId } from '../src/bot/channel.ts';
import type { NetworkShare, Store, Transaction } from '../src/bot/store.ts';

/** One reseller of the network; `chain`: its uplines, nearest first (a root has none: depth 1). */
export interface NetNode {
  id: UserId;
  chain: UserId[];
}

export const depthOf = (n: NetNode) => n.chain.length + 1;

/**
 * `size` resellers in trees, ids `telegram:<firstId + i>`. Each tree draws its depth (1..maxDepth) and a size; a
 * spine reaches that depth, the rest hang at depths drawn evenly below the root.
 */
export function growNetwork(size: number, maxDepth: number, firstId: number, rand: () => number): { nodes: NetNode[]; roots: number } {
  const nodes: NetNode[] = [];
  let roots = 0;
  const id = () => `telegram:${firstId + nodes.length}`;
  while (nodes.length < size) {
    const depth = 1 + Math.floor(rand() * maxDepth);
    // A tree one deep is its root alone; a deeper one has its spine and up to twice as many more, so deep trees
    // are the big ones (as a network grows) and every depth has its payers.
    const treeSize = Math.min(size - nodes.length, depth === 1 ? 1 : depth + Math.floor(rand() * (2 * depth + 1)));
    const tree: NetNode[] = [{ id: id(), chain: [] }];
    nodes.push(tree[0]!);
    roots++;
    while (tree.length < treeSize) {
      // The spine first (each new one under the last), so the tree reaches its depth; then each at a depth drawn
      // evenly from 2 to the tree's, under any reseller one level up, so deep resellers are as many as shallow.
      const at = 2 + Math.floor(rand() * (depth - 1));
      const above = tree.filter((n) => depthOf(n) === at - 1);
      const upline = tree.length < depth ? tree[tree.length - 1]! : above[Math.floor(rand() * above.length)]!;
      const node = { id: id(), chain: [upline.id, ...upline.chain] };
      tree.push(node);
      nodes.push(node);
    }
  }
  return { nodes, roots };
}

const AMOUNTS = [0, 100, 250, 500, 1_000, 2_500, 5_000];

/**
 * Registers the network through the store (as DAFTAR does) and sets each upline's markups: a general `*` for
 * most, a general PLN for some, and for some of its downlines their own `*` or PLN (now and then 0, which
 * still beats the general one). Returns every reseller's markups by key, as the store holds them.
 */
export async function plantNetwork(store: Store, nodes: NetNode[], code: string, rand: () => number): Promise<Map<UserId, Record<string, number>>> {
  const pick = () => AMOUNTS[Math.floor(rand() * AMOUNTS.length)]!;
  const markups = new Map<UserId, Record<string, number>>();
  for (const n of nodes) {
    const [up, ...upChain] = n.chain;
    await store.register(n.id, up ? { id: up, chain: upChain } : null, `Soak ${n.id.slice('telegram:'.length)}`, Date.now());
    markups.set(n.id, {});
  }
  const drawn = new Set<UserId>();
  for (const n of nodes) {
    const up = n.chain[0];
    if (!up) continue;
    const m = markups.get(up)!;
    // An upline's general markups, drawn once, when its first downline is met.
    if (!drawn.has(up)) {
      drawn.add(up);
      if (rand() < 0.85) m['*'] = pick() || 500;
      if (rand() < 0.25) m[code] = pick();
    }
    if (rand() < 0.3) m[`${n.id}|${rand() < 0.5 ? '*' : code}`] = pick();
  }
  for (const [id, m] of markups) for (const [key, amount] of Object.entries(m)) await store.setNetMarkup(id, key, amount);
  return markups;
}

/** What each upline adds to `seller`'s sale of `code`, nearest first, by the network rules (the contract's). */
export function expectedShares(markups: Map<UserId, Record<string, number>>, seller: NetNode, code: string): NetworkShare[] {
  return seller.chain.map((upline, i) => {
    const below = i === 0 ? seller.id : seller.chain[i - 1]!;
    const m = markups.get(upline) ?? {};
    const found = [`${below}|${code}`, `${below}|*`, code, '*'].map((key) => m[key]).find((v) => v !== undefined);
    return { account: upline, markup: found ?? 0 };
  });
}

export interface CommissionReport {
  /** Σ of every `komisi` entry in every upline's commission book. */
  credited: number;
  credits: number;
  /** Σ of the upline markups on the quotes of the SETTLED transactions. */
  owed: number;
  /** Credits owed (a SETTLED sale's upline with a markup above 0). */
  owedCredits: number;
  /** (txId, level) credited more than once. */
  doubles: number;
  /** (txId, level) owed and not credited. */
  missing: number;
  /** Credits for no SETTLED sale's upline at that level: a FAILED or open transaction, or a stranger's. */
  stray: number;
  /** Credited another amount than the quote's share. */
  wrongAmount: number;
  /** SETTLED with a markup above 0, not marked commissioned. */
  uncommissioned: number;
  /** A commission balance other than the sum of its book, or a book entry whose balance after is not the running sum. */
  books: number;
  /** Network quotes whose shares or price differ from what the markups say. */
  mispriced: number;
  /** Uplines whose book holds at least one credit. */
  uplinesPaid: number;
}

/** Every upline's commission book, read whole, against the quotes of `txs` (every transaction of the soak). */
export async function checkCommissions(
  store: Store, nodes: NetNode[], markups: Map<UserId, Record<string, number>>, code: string, txs: Transaction[],
): Promise<CommissionReport> {
  const r: CommissionReport = {
    credited: 0, credits: 0, owed: 0, owedCredits: 0, doubles: 0, missing: 0, stray: 0, wrongAmount: 0, uncommissioned: 0, books: 0, mispriced: 0, uplinesPaid: 0,
  };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  /** `txId|upline` → the share owed (SETTLED only). */
  const owed = new Map<string, number>();
  for (const tx of txs) {
    const seller = byId.get(tx.user);
    const shares = tx.quote.network ?? [];
    if (seller) {
      const want = expectedShares(markups, seller, code);
      const same = want.length === shares.length && want.every((s, i) => s.account === shares[i]?.account && s.markup === shares[i]?.markup);
      const sum = shares.reduce((a, s) => a + s.markup, 0);
      if (!same || tx.quote.price !== tx.quote.bill.debit + tx.quote.markup + sum) r.mispriced++;
    } else if (shares.length > 0) r.mispriced++;
    if (tx.status !== 'SETTLED') continue;
    const paying = shares.filter((s) => s.markup > 0);
    if (paying.length > 0 && !tx.commissioned) r.uncommissioned++;
    for (const s of paying) {
      owed.set(`${tx.id}|${s.account}`, s.markup);
      r.owed += s.markup;
      r.owedCredits++;
    }
  }
  const seen = new Map<string, number>();
  for (const n of nodes) {
    const [balance, book] = await Promise.all([store.getCommission(n.id), store.commissionLedger(n.id, Number.MAX_SAFE_INTEGER)]);
    let running = 0;
    let paid = false;
    for (const e of [...book].reverse()) {
      running += e.amount;
      if (e.saldoAfter !== running) r.books++;
      if (e.reason !== 'komisi') continue;
      paid = true;
      r.credits++;
      r.credited += e.amount;
      const key = `${e.txId}|${n.id}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const share = owed.get(key);
      if (share === undefined) r.stray++;
      else if (share !== e.amount) r.wrongAmount++;
    }
    if (running !== balance) r.books++;
    if (paid) r.uplinesPaid++;
  }
  // An upline sits once on a chain, so (txId, upline) names one level.
  for (const times of seen.values()) if (times > 1) r.doubles += times - 1;
  for (const key of owed.keys()) if (!seen.has(key)) r.missing++;
  return r;
}
