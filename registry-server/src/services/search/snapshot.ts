/**
 * The in-memory search index, persisted (issue 16): building it reads every worker and analyses its texts (about
 * 0.8 s and a 90 MB RSS peak at 10,000 workers); restoring a snapshot takes a small fraction of that. A snapshot is
 * labelled with the catalog revision read before the rows it was built from (every write to any worker bumps it in
 * its own transaction) and with a fingerprint of the code that built it; it is used only when both still match, so
 * a snapshot is never stale: after any write, a crash, another process's publish or a changed analyser, the index
 * is built from the rows again and persisted anew.
 */
import { createHash } from 'node:crypto';
import v8 from 'node:v8';
import { SearchIndex, type SearchIndexState } from '../search-index';
import { analyzeQuery, analyzeText } from './analyze';
import { Bm25fIndex } from './bm25f-index';
import { FIELD_B, FIELD_WEIGHTS, K1 } from './bm25f-weights';
import { entryNames, fieldTexts } from './fields';
import { SYNONYM_GROUPS, SYNONYM_WEIGHT } from './synonyms';
import { Vocabulary } from './vocabulary';

/** Bump when the snapshot's layout changes in a way the fingerprint below cannot see. */
const FORMAT = 2;
/** Words whose analysis (stemmer, stop words, synonyms, phrases) the fingerprint records. */
const PROBE = 'Running schedulers store keys in PostgreSQL databases; sends e-mails, resizes images and parses spreadsheets via HTTP webhooks.';

let memo: string | undefined;

/**
 * Changes whenever the index code, its weights, the analysis of the probe text or the serialization format
 * (the V8 version) change: a snapshot from another build of the registry is ignored, not misread.
 */
function indexFingerprint(): string {
  memo ??= createHash('sha256')
    .update(JSON.stringify([FORMAT, process.versions.v8, FIELD_WEIGHTS, FIELD_B, K1, SYNONYM_GROUPS, SYNONYM_WEIGHT]))
    .update([SearchIndex, Bm25fIndex, Vocabulary, analyzeText, analyzeQuery, fieldTexts, entryNames].map(String).join('\n'))
    .update(JSON.stringify([analyzeText(PROBE), analyzeQuery(PROBE)]))
    .digest('hex')
    .slice(0, 32);
  return memo;
}

export interface StoredSnapshot {
  fingerprint: string;
  revision: string;
  data: Buffer;
}

/** Where snapshots are kept (SQLite: db/search-snapshot-repository.ts; PostgreSQL keeps none). */
export interface SearchSnapshotStore {
  load(): Promise<StoredSnapshot | undefined>;
  save(snapshot: StoredSnapshot): Promise<void>;
}

export const encodeSnapshot = (index: SearchIndex, revision: string): StoredSnapshot => ({
  fingerprint: indexFingerprint(),
  revision,
  data: v8.serialize(index.toState()),
});

/** The persisted index when it was built at `revision` by this code; undefined otherwise (or when unreadable). */
export function decodeSnapshot(stored: StoredSnapshot | undefined, revision: string): SearchIndexState | undefined {
  if (!stored || stored.fingerprint !== indexFingerprint() || stored.revision !== revision) return undefined;
  try {
    const state = v8.deserialize(stored.data) as SearchIndexState;
    return state && state.entries instanceof Map && state.index?.docs instanceof Int32Array ? state : undefined;
  } catch {
    return undefined;
  }
}
