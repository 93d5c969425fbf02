import { loadConfig } from './config';
import { openBackend } from './db/open-backend';
import { createKeysService } from './services/keys';

/**
 * `npm run keys -- create <name> [--admin] | revoke <id> | list` works on the database (REGISTRY_DATABASE_URL, else REGISTRY_DATA_DIR) directly,
 * so an operator can manage keys with the server stopped or running (SQLite WAL allows both).
 */
const usage = 'usage: npm run keys -- create <name> [--admin] | revoke <id> | list';
const [command, arg, ...flags] = process.argv.slice(2);
const backend = await openBackend(loadConfig());
const keys = createKeysService(backend.repos.keys);
try {
  if (command === 'create' && arg) {
    const created = await keys.create(arg, flags.includes('--admin'));
    console.log(`Created key #${created.id} '${created.name}'${created.admin ? ' (admin)' : ''}. It is shown once:\n\n  ${created.key}\n`);
  } else if (command === 'revoke' && arg) {
    const ok = await keys.revoke(Number(arg));
    console.log(ok ? `Revoked key #${arg}.` : `No active key #${arg} (see: npm run keys -- list).`);
    process.exitCode = ok ? 0 : 1;
  } else if (command === 'list') {
    for (const k of await keys.list())
      console.log(`#${k.id}\t${k.name}\t${k.admin ? 'admin' : 'publisher'}\tcreated ${k.created_at}${k.revoked_at ? `\trevoked ${k.revoked_at}` : ''}`);
  } else {
    console.error(usage);
    process.exitCode = 2;
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
} finally {
  await backend.close();
}
