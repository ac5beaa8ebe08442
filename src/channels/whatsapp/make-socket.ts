/**
 * The real Baileys socket behind the adapter's narrow interface. It asks for no full history (the bot needs
 * none) but keeps Baileys' default recent sync, which carries the initial LID ↔ phone mappings; keeps the
 * phone's notifications on; and answers Baileys' group metadata look-ups from a cache fed by group events, so
 * sending never queries WhatsApp for them.
 */
import {
  fetchLatestWaWebVersion, type GroupMetadata, makeWASocket, type WAVersion,
} from '@whiskeysockets/baileys';
import type { Log } from '../../log.ts';
import type { SocketFactory, WaSocket } from './socket.ts';

const GROUP_TTL_MS = 60 * 60_000;
const GROUP_MAX = 500;

function createGroupCache() {
  const map = new Map<string, { meta: GroupMetadata; at: number }>();
  return {
    get(jid: string): GroupMetadata | undefined {
      const hit = map.get(jid);
      if (!hit || Date.now() - hit.at > GROUP_TTL_MS) {
        map.delete(jid);
        return undefined;
      }
      return hit.meta;
    },
    put(meta: GroupMetadata): void {
      map.delete(meta.id);
      map.set(meta.id, { meta, at: Date.now() });
      while (map.size > GROUP_MAX) map.delete(map.keys().next().value!);
    },
    merge(update: Partial<GroupMetadata>): void {
      const hit = update.id ? map.get(update.id) : undefined;
      if (hit) hit.meta = { ...hit.meta, ...update };
    },
    drop(jid: string): void {
      map.delete(jid);
    },
  };
}

/** WhatsApp refuses clients that are too old; the current web version when it can be read, else Baileys' own. */
export async function waVersion(log: Log, timeoutMs = 5_000): Promise<WAVersion | undefined> {
  try {
    const r = await fetchLatestWaWebVersion({ signal: AbortSignal.timeout(timeoutMs) });
    if (r.isLatest) return r.version;
  } catch {
    // Offline or changed page: Baileys' bundled version is the fallback either way.
  }
  log.info('could not read the current WhatsApp Web version; using the one Baileys ships with');
  return undefined;
}

export function makeSocket(opts: { log: Log; version?: WAVersion }): SocketFactory {
  // Baileys logs every frame at info; the operator needs its warnings only, unless debugging.
  const level = ['debug', 'trace'].includes(opts.log.level) ? opts.log.level : 'warn';
  const logger = opts.log.child({ module: 'baileys' }, { level });
  const groups = createGroupCache();
  return ({ auth, getMessage }) => {
    const sock = makeWASocket({
      auth,
      logger,
      getMessage,
      cachedGroupMetadata: async (jid) => groups.get(jid),
      ...(opts.version ? { version: opts.version } : {}),
      markOnlineOnConnect: false,
      syncFullHistory: false,
      generateHighQualityLinkPreview: false,
    });
    sock.ev.on('groups.upsert', (list) => {
      for (const g of list) groups.put(g);
    });
    sock.ev.on('groups.update', (list) => {
      for (const g of list) groups.merge(g);
    });
    sock.ev.on('group-participants.update', (e) => groups.drop(e.id));
    const narrow: WaSocket = sock;
    return narrow;
  };
}
