/**
 * `PIN <baru>` / `PIN <lama> <baru>`, and the gate every payment passes when a PIN is set: three wrong PINs
 * lock payments for 15 minutes and tell the admins.
 */
import { checkPin, hashPin, PIN_FORM, PIN_LOCK_MS, PIN_MAX_FAILS } from '../../payments/pin.ts';
import type { Reply, UserId } from '../channel.ts';
import type { Command } from '../commands.ts';
import { wibTime } from '../format.ts';
import type { T } from '../i18n.ts';
import type { Store } from '../store.ts';

export interface PinDeps {
  store: Pick<Store, 'getPin' | 'pinTry' | 'pinFailed' | 'pinPassed'>;
  t: T;
  admins: ReadonlySet<UserId>;
  now: number;
  notify(user: UserId, reply: Reply): Promise<void>;
}

/** How long a claimed PIN try counts when its process dies before it says how the comparison went. */
const PIN_TRY_LEASE_MS = 30_000;

/**
 * Why a payment may not go ahead, as a reply; undefined when it may. `pin` is what the user typed, if anything.
 * Commands reach it as `ctx.pins.gate` (context.ts).
 */
export async function pinGate(
  d: PinDeps, user: UserId, pin: string | undefined, alreadyChecked = false, hasPin = true,
): Promise<string | undefined> {
  // No PIN means no lock either (only a wrong PIN locks): nothing to read.
  if (!hasPin) return pin === undefined ? undefined : d.t('pin.notSet');
  if (pin === undefined || alreadyChecked) {
    const state = await d.store.getPin(user);
    if (state.lockedUntil > d.now) return d.t('pin.locked', { until: wibTime(state.lockedUntil) });
    if (!state.hash) return pin === undefined ? undefined : d.t('pin.notSet');
    return alreadyChecked ? undefined : d.t('pin.required');
  }
  // A comparison is claimed in the store before it is made, atomically with the lock, so however many processes
  // take wrong PINs at once, at most PIN_MAX_FAILS are compared before payments lock.
  const claim = await d.store.pinTry(user, d.now, PIN_MAX_FAILS, PIN_TRY_LEASE_MS);
  if (!claim.ok) {
    if (claim.reason === 'locked') return d.t('pin.locked', { until: wibTime(claim.lockedUntil) });
    return d.t(claim.reason === 'busy' ? 'pin.busy' : 'pin.notSet');
  }
  if (await checkPin(pin, claim.hash)) {
    await d.store.pinPassed(user);
    return undefined;
  }
  const after = await d.store.pinFailed(user, d.now, PIN_MAX_FAILS, PIN_LOCK_MS);
  if (after.fails >= PIN_MAX_FAILS) {
    const note = d.t('pin.lockedAdmin', { user, until: wibTime(after.lockedUntil) });
    await Promise.all([...d.admins].map((a) => d.notify(a, { text: note })));
    return d.t('pin.locked', { until: wibTime(after.lockedUntil) });
  }
  return d.t('pin.wrong', { left: PIN_MAX_FAILS - after.fails });
}

export function pinCommands(): Command[] {
  return [
    {
      name: 'pin',
      words: ['PIN'],
      role: 'reseller',
      // Whatever follows the word: the message is deleted from the chat.
      carriesPin: true,
      takesPin: true,
      async run({ args }, ctx) {
        const { pins, t } = ctx;
        const reply = (text: string): Reply[] => [{ text }];
        if (args.length === 0 || args.length > 2 || !args.every((a) => PIN_FORM.test(a))) return reply(t('pin.usage'));
        const state = await pins.state(ctx.user);
        if (state.lockedUntil > ctx.now) return reply(t('pin.locked', { until: wibTime(state.lockedUntil) }));
        if (state.hash) {
          if (args.length !== 2) return reply(t('pin.changeUsage'));
          const refused = await pins.gate(ctx.user, args[0], ctx.now);
          if (refused) return reply(refused);
        } else if (args.length !== 1) {
          return reply(t('pin.firstUsage'));
        }
        await pins.set(ctx.user, await hashPin(args.at(-1)!));
        return reply(t(state.hash ? 'pin.changed' : 'pin.set'));
      },
    },
  ];
}
