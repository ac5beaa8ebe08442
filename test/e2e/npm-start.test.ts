/**
 * The product as a new user meets it: `npm start` with piped input, no configuration at all (sandbox MMBC,
 * embedded store), and the real process's output and exit code.
 */
import { describe, expect, it } from 'vitest';
import { cleanEnv, type Ran, runNode } from '../helpers/spawn.ts';

const TSX = 'node_modules/tsx/dist/cli.mjs';

const sandboxEnv = cleanEnv;

function runBot(input: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return runNode([TSX, 'src/main.ts'], input, { env });
}

describe('npm start, piped, in the sandbox', () => {
  it('holds a whole conversation and exits 0 at the end of input', async () => {
    const { code, stdout, stderr } = await runBot('BANTUAN\nSALDO\nHARGA PLN\nPLN 123456789\nYA\nSALDO\n', sandboxEnv());
    expect(code).toBe(0);
    expect(stdout).toContain('> BANTUAN');
    expect(stdout).toContain('Saldo Anda Rp 1.000.000.');
    expect(stdout).toContain('PLNS100 · PLN Pra Bayar');
    expect(stdout).toContain('Saldo dipotong Rp 180.300');
    expect(stdout).toContain('STRUK PEMBAYARAN');
    expect(stdout).toContain('Saldo Anda Rp 819.700.');
    // The JSON logs stay off the conversation, and the embedded store is announced.
    expect(stdout).not.toContain('"level"');
    expect(stderr).toContain('embedded in-memory store');
  });

  it('prints what is still owed when input ends with a payment pending', async () => {
    const { code, stdout } = await runBot('PLN 500000000001\nYA\n', sandboxEnv());
    expect(code).toBe(0);
    expect(stdout).toContain('sedang diproses');
    expect(stdout).toMatch(/Masih diproses saat keluar: [0-9A-Z]{14}/);
  });

  it('speaks English with LOCALE=en', async () => {
    const { stdout } = await runBot('SALDO\n', sandboxEnv({ LOCALE: 'en' }));
    expect(stdout).toContain('Your saldo is Rp 1.000.000.');
  });

  it('stops with one line naming a bad variable, exit 1, no stack trace', async () => {
    const { code, stdout, stderr } = await runBot('', sandboxEnv({ QUOTE_TTL_SECONDS: 'soon' }));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining('QUOTE_TTL_SECONDS')]);
  });
});
