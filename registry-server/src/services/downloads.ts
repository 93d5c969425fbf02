import type { DownloadResponse } from '@iii-registry/schemas';
import type { WorkersRepository } from '../db/workers-repository';
import { RegistryError } from '../errors';
import type { ReadService } from './read';
import { resolveSpec } from './version-rules';

/** GET /download/{name}: the legacy single-worker resolve; every 200 or 204 counts a download (and a CI one). */
export async function download(workers: WorkersRepository, read: ReadService, name: string, spec: string | undefined, ci: boolean): Promise<DownloadResponse | null> {
  const worker = await read.requireWorker(name);
  const [metas, tags] = await Promise.all([workers.versions(worker.id), workers.tags(worker.id)]);
  // The CLI calls this after installing an engine built-in, with the engine's own version (which need not be
  // published here): an engine worker has no artifact at any version, so 204 and count the install.
  if (metas.length > 0 && metas.every((m) => m.type === 'engine')) {
    await workers.countDownload(worker.id, ci);
    return null;
  }
  const meta = resolveSpec(name, metas, tags, spec, 422);
  const record = await workers.getVersion(worker.id, meta.version);
  if (!record) throw new RegistryError(500, 'internal_error', 'Version vanished.', 'Retry.');
  const d = record.doc;
  let out: DownloadResponse | null;
  switch (record.type) {
    case 'binary':
      out = { name, type: 'binary', version: record.version, binaries: d.binaries ?? {}, config: d.config };
      break;
    case 'image':
      out = { name, type: 'image', version: record.version, image_url: d.image_tag ?? '' };
      break;
    case 'bundle':
      out = { name, type: 'bundle', version: record.version, archive_url: d.archive_url ?? '', sha256: d.sha256 ?? '' };
      break;
    case 'engine':
      out = null;
      break;
  }
  await workers.countDownload(worker.id, ci);
  return out;
}
