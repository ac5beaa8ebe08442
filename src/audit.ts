/** `npm run audit`: checks the books in REDIS_URL; exits 1 on any difference. */
import { loadConfig } from './config.ts';
import { audit } from './payments/audit.ts';
import { createRedisStore } from './store/redis-store.ts';

const config = loadConfig();
if (!config.REDIS_URL) {
  process.stderr.write('npm run audit checks the books in Redis: set REDIS_URL (the embedded store lives only inside a running bot)\n');
  process.exit(2);
}
const store = createRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX });
const report = await audit(store);
await store.close();
process.stdout.write(
  `users: ${report.users}\ntransactions: ${report.transactions} ${JSON.stringify(report.byStatus)}\nsaldo total: ${report.saldoTotal}\n` +
    `commission total: ${report.commissionTotal}\ncommissions credited: ${report.commissionsCredited} ` +
    `(upline markups of settled transactions: ${report.commissionsEarned})\n` +
    `differences: ${report.problems.length}\n${report.problems.map((p) => `  ${p}\n`).join('')}`,
);
process.exit(report.problems.length === 0 ? 0 : 1);
