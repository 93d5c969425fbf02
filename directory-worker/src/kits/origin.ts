import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SkillMarkerSchema, type KitsLock, type SkillMarker } from '@iii-registry/schemas';
import { readText } from './files';

export const MARKER_FILE = '.iii-skill-complete';

export interface AgentOwner {
  owner: 'kit' | 'worker' | 'local';
  kit?: string;
  worker?: string;
  version?: string;
  /** The owner's copy was edited in this project. */
  modified?: boolean;
}

/** Every worker bundle's marker under the skills folder (`<skills>/<worker>/.iii-skill-complete`). */
export async function readMarkers(skillsFolder: string): Promise<SkillMarker[]> {
  let entries: string[];
  try {
    entries = await readdir(skillsFolder);
  } catch {
    return [];
  }
  const out: SkillMarker[] = [];
  for (const name of entries.sort()) {
    const text = await readText(join(skillsFolder, name, MARKER_FILE));
    if (text === null) continue;
    try {
      const parsed = SkillMarkerSchema.safeParse(JSON.parse(text));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // A marker we cannot read owns nothing.
    }
  }
  return out;
}

/** The kit that owns `agents/<id>.md` in the lock (skipped entries own nothing). */
export function kitOwning(lock: KitsLock, path: string, except?: string): { kit: string; version: string } | undefined {
  for (const [kit, locked] of Object.entries(lock.kits)) {
    if (kit === except) continue;
    const file = locked.files[path];
    if (file && !file.skipped) return { kit, version: locked.version };
  }
  return undefined;
}

/** Who owns a profile that exists on disk: kit (kits.lock) > worker (marker) > local. */
export function agentOwner(lock: KitsLock, markers: SkillMarker[], id: string, localSha: string | null): AgentOwner {
  const path = `agents/${id}.md`;
  const kit = kitOwning(lock, path);
  if (kit) {
    const locked = lock.kits[kit.kit]?.files[path]?.sha256;
    return { owner: 'kit', kit: kit.kit, version: kit.version, modified: localSha !== null && locked !== localSha };
  }
  const marker = markers.find((m) => m.agents[id] !== undefined);
  if (marker)
    return { owner: 'worker', worker: marker.worker, version: marker.version, modified: localSha !== null && marker.agents[id] !== localSha };
  return { owner: 'local' };
}
