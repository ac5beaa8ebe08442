/** A child `node` process with piped input, as a user or the image runs the bot; its exit code and output. */
import { spawn } from 'node:child_process';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: none of the developer's REDIS_URL or credentials leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'TZ']) if (process.env[k]) env[k] = process.env[k];
  return { ...env, HTTP_PORT: '0', ...extra };
}

/** `node <args>` with `input` on standard input, which is then closed. */
export function runNode(args: string[], input: string, opts: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
