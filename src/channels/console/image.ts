/**
 * Where the console puts a reply's picture: `<temp dir>/ppob-<name>`, so the user opens it (or scans the QR
 * code) from the path printed under the text. The name comes from the core (`qris-<reference>.png`): kept to
 * safe characters so it can never leave the directory, and the same name is the same picture written again.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function imagePath(name: string, dir: string = tmpdir()): string {
  let safe = name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\.+/, '').slice(0, 100) || 'image';
  if (!/\.png$/i.test(safe)) safe += '.png';
  return join(dir, `ppob-${safe}`);
}

/** Writes the PNG and gives its path, or undefined when it could not be written. */
export function saveImage(image: { png: Buffer; name: string }, dir?: string): string | undefined {
  const path = imagePath(image.name, dir);
  try {
    // Only this user may read it: a receipt names a customer, and the temp dir is shared on a multi-user host.
    writeFileSync(path, image.png, { mode: 0o600 });
    return path;
  } catch {
    return undefined;
  }
}
