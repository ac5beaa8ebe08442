/**
 * A WhatsApp conversation end to end through the fake socket: the core, real Redis and the MMBC simulator over
 * HTTP. The same words as on every channel; plain text where Telegram has buttons.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../../src/bot/i18n.ts';
import { ledgerBalances, RESELLER } from '../../helpers/app.ts';
import { sleep, textMessage } from './fake-socket.ts';
import { startWhatsAppBot, wa, WA_CUSTOMER, WA_RESELLER, type WhatsAppTestBot } from './harness.ts';

let bot: WhatsAppTestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const BILL = '532100112233'; // SITI AMINAH in the simulator
const t = translator('id');

describe('a WhatsApp conversation', () => {
  it('PLN inquiry, a summary ending with the YA/BATAL line, YA, the receipt', async () => {
    bot = await startWhatsAppBot();
    const sock = await bot.socks.nth(1);
    sock.deliver([textMessage(WA_RESELLER, `PLN ${BILL}`)]);
    const summary = await bot.nth(WA_RESELLER, 1);
    expect(summary).toContain('SITI AMINAH');
    expect(summary.split('\n').at(-1)).toContain(t('summary.confirm'));
    // The same words as on any other channel, between the triple backticks that make WhatsApp show them in a
    // fixed-width font, so the amounts line up.
    expect(summary).toBe(`\`\`\`${await bot.say(RESELLER, `PLN ${BILL}`)}\`\`\``);
    await bot.say(RESELLER, 'BATAL');

    const saldo = await bot.store.getSaldo(wa(WA_RESELLER));
    sock.deliver([textMessage(WA_RESELLER, 'YA')]);
    const receipt = await bot.nth(WA_RESELLER, 2);
    expect(receipt).toContain('STRUK PEMBAYARAN');
    expect(receipt.startsWith('```') && receipt.endsWith('```')).toBe(true);
    const [tx] = await bot.store.listTx(wa(WA_RESELLER), 1);
    expect(tx?.status).toBe('SETTLED');
    expect(tx?.user).toBe('whatsapp:6281234567890');
    expect(await bot.store.getSaldo(wa(WA_RESELLER))).toBe(saldo - tx!.quote.price);
    expect(bot.sim.payments.filter((p) => p.customerNo === BILL)).toHaveLength(1);
    expect(await ledgerBalances(bot.store, wa(WA_RESELLER))).toBe(true);
    // Replies go to the chat the user wrote from; what is not laid out in columns goes as it is.
    expect(sock.sent.every((m) => m.jid === `${WA_RESELLER}@s.whatsapp.net`)).toBe(true);
    sock.deliver([textMessage(WA_RESELLER, 'SALDO')]);
    const saldoReply = await bot.nth(WA_RESELLER, 3);
    expect(saldoReply).toContain('Saldo Anda');
    expect(saldoReply).not.toContain('```');
  });

  it('the same WhatsApp message delivered three times has one effect', async () => {
    bot = await startWhatsAppBot();
    const sock = await bot.socks.nth(1);
    const inquiry = textMessage(WA_RESELLER, `PLN ${BILL}`);
    sock.deliver([inquiry]);
    sock.deliver([inquiry], 'append');
    sock.deliver([inquiry]);
    await bot.nth(WA_RESELLER, 1);
    const ya = textMessage(WA_RESELLER, 'YA');
    for (let i = 0; i < 3; i++) sock.deliver([ya]);
    expect(await bot.nth(WA_RESELLER, 2)).toContain('STRUK PEMBAYARAN');
    await sleep(300);
    expect(bot.sentTo(WA_RESELLER)).toHaveLength(2);
    expect(bot.sim.calls.cektagihan).toBe(1);
    expect(bot.sim.payments).toHaveLength(1);
  });

  it('a group message makes no inquiry and gets no answer', async () => {
    bot = await startWhatsAppBot();
    const sock = await bot.socks.nth(1);
    const inGroup = textMessage(WA_RESELLER, `PLN ${BILL}`, {
      key: { remoteJid: '120363025246125486@g.us', participant: `${WA_RESELLER}@s.whatsapp.net` },
    });
    sock.deliver([inGroup]);
    sock.deliver([textMessage(WA_RESELLER, 'SALDO')]);
    expect(await bot.nth(WA_RESELLER, 1)).toContain('Rp 1.000.000');
    expect(sock.sent).toHaveLength(1);
    expect(bot.sim.calls.cektagihan).toBe(0);
  });

  it('media gets one polite line each and no provider call', async () => {
    bot = await startWhatsAppBot();
    const sock = await bot.socks.nth(1);
    const kinds = [
      { imageMessage: { caption: `PLN ${BILL}` } },
      { stickerMessage: {} },
      { audioMessage: { ptt: true } },
      { documentMessage: { fileName: 'tagihan.pdf' } },
      { ephemeralMessage: { message: { videoMessage: {} } } },
    ];
    for (const message of kinds) sock.deliver([{ ...textMessage(WA_CUSTOMER, ''), message }]);
    await bot.nth(WA_CUSTOMER, kinds.length);
    await sleep(200);
    expect(bot.sentTo(WA_CUSTOMER)).toEqual(kinds.map(() => t('input.media')));
    expect(bot.sim.calls.cektagihan).toBe(0);
  });

  it('a message over 1,000 characters gets the core line; a disappearing-mode text is read like any text', async () => {
    bot = await startWhatsAppBot();
    const sock = await bot.socks.nth(1);
    sock.deliver([textMessage(WA_RESELLER, `PLN ${'1'.repeat(1200)}`)]);
    expect(await bot.nth(WA_RESELLER, 1)).toBe(t('input.tooLong', { max: 1000 }));
    sock.deliver([{ ...textMessage(WA_RESELLER, ''), message: { ephemeralMessage: { message: { extendedTextMessage: { text: 'saldo' } } } } }]);
    expect(await bot.nth(WA_RESELLER, 2)).toContain('Rp 1.000.000');
    expect(bot.sim.calls.cektagihan).toBe(0);
  });

  it('own messages, status broadcasts, reactions and a stale backlog are ignored', async () => {
    bot = await startWhatsAppBot();
    const sock = await bot.socks.nth(1);
    sock.deliver([
      textMessage(WA_RESELLER, `PLN ${BILL}`, { key: { fromMe: true } }),
      textMessage(WA_RESELLER, `PLN ${BILL}`, { key: { remoteJid: 'status@broadcast', participant: `${WA_RESELLER}@s.whatsapp.net` } }),
      { ...textMessage(WA_RESELLER, ''), message: { reactionMessage: { text: '👍' } } },
      { ...textMessage(WA_RESELLER, `PLN ${BILL}`), messageTimestamp: Math.floor(Date.now() / 1000) - 3 * 24 * 3600 },
    ]);
    await sleep(400);
    expect(sock.sent).toHaveLength(0);
    expect(bot.sim.calls.cektagihan).toBe(0);
    expect(await bot.store.getUser(wa(WA_RESELLER))).toMatchObject({ reseller: true });
  });

  it('a LID sender is named by the phone number Baileys gives, else by the LID', async () => {
    bot = await startWhatsAppBot();
    const sock = await bot.socks.nth(1);
    // remoteJidAlt: the phone number WhatsApp sent beside the LID.
    sock.deliver([textMessage('0', 'SALDO', { key: { remoteJid: '201234567890123@lid', remoteJidAlt: `${WA_RESELLER}@s.whatsapp.net` } })]);
    await sleep(50);
    // Baileys' LID mapping store, when the message itself had no phone number.
    sock.lids.set('209999999999999@lid', `${WA_RESELLER}:0@s.whatsapp.net`);
    sock.deliver([textMessage('0', 'SALDO', { key: { remoteJid: '209999999999999@lid' } })]);
    // Nothing known: the LID names the user.
    sock.deliver([textMessage('0', 'SALDO', { key: { remoteJid: '207777777777777@lid' } })]);
    await bot.nth('201234567890123', 1);
    await bot.nth('209999999999999', 1);
    await bot.nth('207777777777777', 1);
    expect(sock.sent.find((m) => m.jid === '201234567890123@lid')?.text).toContain('Rp 1.000.000');
    expect(sock.sent.find((m) => m.jid === '209999999999999@lid')?.text).toContain('Rp 1.000.000');
    expect(sock.sent.find((m) => m.jid === '207777777777777@lid')?.text).toBe(t('reseller.only'));
    expect(await bot.store.getUser('whatsapp:207777777777777')).toBeTruthy();
    expect(bot.logs.some((l) => l.msg?.includes('named by their LID') && l.user === 'whatsapp:207777777777777')).toBe(true);
  });

  it('a pending payment settled later by the recheck worker reaches the user through the queue', async () => {
    bot = await startWhatsAppBot();
    const sock = await bot.socks.nth(1);
    sock.deliver([textMessage(WA_RESELLER, 'PLN 500000000001')]);
    await bot.nth(WA_RESELLER, 1);
    sock.deliver([textMessage(WA_RESELLER, 'YA')]);
    expect(await bot.nth(WA_RESELLER, 2)).toContain('sedang diproses');
    bot.advance(2_000);
    await bot.app.worker.tick();
    bot.advance(5_000);
    await bot.app.worker.tick();
    const receipt = await bot.nth(WA_RESELLER, 3);
    expect(receipt).toContain('STRUK PEMBAYARAN');
    expect(receipt).toContain('BAMBANG SUTRISNO');
  });

  it('a later message reaches a user who wrote before, at the chat they wrote from; a cold number is never messaged', async () => {
    bot = await startWhatsAppBot();
    const sock = await bot.socks.nth(1);
    sock.deliver([textMessage(WA_CUSTOMER, 'HALO', { key: { remoteJid: '201111111111111@lid', remoteJidAlt: `${WA_CUSTOMER}@s.whatsapp.net` } })]);
    await waitSent(bot, 1);
    await bot.channel.send(wa(WA_CUSTOMER), { text: 'Pengumuman' });
    await waitSent(bot, 2);
    expect(sock.sent[1]).toMatchObject({ jid: '201111111111111@lid', text: 'Pengumuman' });

    await expect(bot.channel.send(wa('6285555555555'), { text: 'Promo' })).rejects.toThrow(/never written/);
    await sleep(200);
    expect(sock.sent).toHaveLength(2);
    expect(bot.logs.some((l) => l.level === 40 && l.user === 'whatsapp:6285555555555')).toBe(true);
  });
});

async function waitSent(b: WhatsAppTestBot, n: number): Promise<void> {
  const until = Date.now() + 5_000;
  while (b.socks.sockets.flatMap((s) => s.sent).length < n) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${n} sent messages`);
    await sleep(10);
  }
}
