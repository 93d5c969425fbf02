/**
 * Ordered schema migrations; PRAGMA user_version records how many ran. Append, never edit a shipped one.
 * Version documents are stored as one JSON column (`doc`) beside the columns queries filter and sort on, plus
 * `summary`: the few fields a list row shows, so listing never parses READMEs and schemas.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE workers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    owner_key_id INTEGER REFERENCES api_keys(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    total_downloads INTEGER NOT NULL DEFAULT 0,
    ci_downloads INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 0
  );
  -- Counters that change with every write (not downloads): cache stamps that timestamps cannot give.
  CREATE TABLE registry_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  INSERT INTO registry_state (name, value) VALUES ('revision', 0), ('downloads', 0);
  CREATE INDEX workers_by_downloads ON workers (total_downloads DESC, name ASC);
  CREATE INDEX workers_by_updated ON workers (updated_at);
  CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    worker_id INTEGER NOT NULL REFERENCES workers(id),
    version TEXT NOT NULL,
    prerelease INTEGER NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deprecated', 'yanked')),
    status_message TEXT,
    published_at TEXT NOT NULL,
    publisher_key_id INTEGER REFERENCES api_keys(id),
    content_hash TEXT NOT NULL,
    -- Small columns first: SQLite reads a row up to the column it needs, and doc spills into overflow pages.
    summary TEXT NOT NULL,
    fn_text TEXT NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (worker_id, version)
  );
  CREATE INDEX versions_by_published ON versions (published_at DESC);
  CREATE TABLE tags (
    worker_id INTEGER NOT NULL REFERENCES workers(id),
    name TEXT NOT NULL,
    version_id INTEGER NOT NULL REFERENCES versions(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (worker_id, name)
  );
  CREATE TABLE skill_snapshots (
    version_id INTEGER PRIMARY KEY REFERENCES versions(id),
    updated_at TEXT NOT NULL
  );
  CREATE TABLE skill_files (
    version_id INTEGER NOT NULL REFERENCES versions(id),
    path TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (version_id, path)
  );
  -- README text of each worker's shown version (rowid = workers.id), for full-text search that needs no memory
  -- and no start-up work.
  CREATE VIRTUAL TABLE readme_fts USING fts5 (readme, tokenize = 'unicode61');
  CREATE TABLE staged_archives (
    worker_name TEXT NOT NULL,
    version TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (worker_name, version)
  );
  `,
  // Kits (issue 14): kit ids <handle>/<name>, immutable versions, release tags, and content-addressed blobs shared
  // by every version and kit and kept for ever (GET /blobs/{sha256} serves old installs' merge bases).
  `
  CREATE TABLE kit_handles (
    handle TEXT PRIMARY KEY,
    owner_key_id INTEGER REFERENCES api_keys(id),
    created_at TEXT NOT NULL
  );
  CREATE TABLE kits (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL REFERENCES kit_handles(handle),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    total_downloads INTEGER NOT NULL DEFAULT 0,
    ci_downloads INTEGER NOT NULL DEFAULT 0,
    UNIQUE (handle, name)
  );
  CREATE TABLE kit_blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE kit_versions (
    id INTEGER PRIMARY KEY,
    kit_id INTEGER NOT NULL REFERENCES kits(id),
    version TEXT NOT NULL,
    prerelease INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deprecated', 'yanked')),
    status_message TEXT,
    replaced_by TEXT,
    published_at TEXT NOT NULL,
    publisher_key_id INTEGER REFERENCES api_keys(id),
    readme_sha256 TEXT REFERENCES kit_blobs(sha256),
    search_text TEXT NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (kit_id, version)
  );
  CREATE TABLE kit_files (
    version_id INTEGER NOT NULL REFERENCES kit_versions(id),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES kit_blobs(sha256),
    PRIMARY KEY (version_id, path)
  );
  CREATE TABLE kit_tags (
    kit_id INTEGER NOT NULL REFERENCES kits(id),
    name TEXT NOT NULL,
    version_id INTEGER NOT NULL REFERENCES kit_versions(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kit_id, name)
  );
  `,
  // README index kept by the database in the same transaction as the write that changes a worker's shown version
  // (its `latest` tag, else its newest version), so no crash point can leave search describing another version.
  // Rebuilt once here, which also mends an index left stale by a crash under the older after-commit update.
  `
  CREATE TRIGGER readme_fts_version_added AFTER INSERT ON versions
  WHEN NOT EXISTS (SELECT 1 FROM tags t WHERE t.worker_id = NEW.worker_id AND t.name = 'latest')
  BEGIN
    DELETE FROM readme_fts WHERE rowid = NEW.worker_id;
    INSERT INTO readme_fts (rowid, readme) SELECT NEW.worker_id, COALESCE(json_extract(NEW.doc, '$.readme'), '');
  END;
  CREATE TRIGGER readme_fts_latest_set AFTER INSERT ON tags WHEN NEW.name = 'latest'
  BEGIN
    DELETE FROM readme_fts WHERE rowid = NEW.worker_id;
    INSERT INTO readme_fts (rowid, readme)
      SELECT NEW.worker_id, COALESCE(json_extract(v.doc, '$.readme'), '') FROM versions v WHERE v.id = NEW.version_id;
  END;
  CREATE TRIGGER readme_fts_latest_moved AFTER UPDATE OF version_id ON tags
  WHEN NEW.name = 'latest' AND NEW.version_id IS NOT OLD.version_id
  BEGIN
    DELETE FROM readme_fts WHERE rowid = NEW.worker_id;
    INSERT INTO readme_fts (rowid, readme)
      SELECT NEW.worker_id, COALESCE(json_extract(v.doc, '$.readme'), '') FROM versions v WHERE v.id = NEW.version_id;
  END;
  CREATE TRIGGER readme_fts_latest_dropped AFTER DELETE ON tags WHEN OLD.name = 'latest'
  BEGIN
    DELETE FROM readme_fts WHERE rowid = OLD.worker_id;
    INSERT INTO readme_fts (rowid, readme)
      SELECT OLD.worker_id, COALESCE(json_extract(v.doc, '$.readme'), '') FROM versions v
      WHERE v.id = (SELECT MAX(v2.id) FROM versions v2 WHERE v2.worker_id = OLD.worker_id);
  END;
  CREATE TRIGGER readme_fts_worker_dropped AFTER DELETE ON workers
  BEGIN
    DELETE FROM readme_fts WHERE rowid = OLD.id;
  END;
  DELETE FROM readme_fts;
  INSERT INTO readme_fts (rowid, readme)
    SELECT w.id, COALESCE(json_extract(v.doc, '$.readme'), '') FROM workers w JOIN versions v ON v.id = COALESCE(
      (SELECT t.version_id FROM tags t WHERE t.worker_id = w.id AND t.name = 'latest'),
      (SELECT MAX(v2.id) FROM versions v2 WHERE v2.worker_id = w.id));
  `,
  // Upstream proxy (issue 13): answers fetched from REGISTRY_UPSTREAM_URL, kept to serve fresh within the TTL,
  // revalidate with their ETag, and serve stale while the upstream is down. Only validated bodies are stored.
  `
  CREATE TABLE IF NOT EXISTS upstream_cache (
    key TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    etag TEXT,
    fetched_at INTEGER NOT NULL
  );
  `,
  // Issue 12: README full text with English stemming (the search stems queries; `"schedul"*` prefixes were slow).
  // Refilled here with each worker's shown version, as the README-trigger migration does.
  `
  DROP TABLE readme_fts;
  CREATE VIRTUAL TABLE readme_fts USING fts5 (readme, tokenize = 'porter unicode61');
  INSERT INTO readme_fts (rowid, readme)
    SELECT w.id, COALESCE(json_extract(v.doc, '$.readme'), '') FROM workers w JOIN versions v ON v.id = COALESCE(
      (SELECT t.version_id FROM tags t WHERE t.worker_id = w.id AND t.name = 'latest'),
      (SELECT MAX(v2.id) FROM versions v2 WHERE v2.worker_id = w.id));
  `,
  // Kit read cache (issue 16): a kit revision bumped by every kit write (publish, tag move, status change) and a kit
  // download counter, each in the write's own transaction; the kit services key their cached answers on them.
  `
  INSERT OR IGNORE INTO registry_state (name, value) VALUES ('kits', 0), ('kit_downloads', 0);
  `,
  // Publish cost (issue 16): the README index keeps no copy of the READMEs (content = '': versions.doc has them) and
  // replacing a worker's README records a tombstone instead of re-reading and re-tokenizing the old text
  // (contentless_delete, SQLite 3.43+). Search only needs rowids and BM25 ranks, which are unchanged. On a 50 KB
  // README this writes about a quarter fewer WAL bytes per publish. Refilled with each worker's shown version.
  `
  DROP TABLE readme_fts;
  CREATE VIRTUAL TABLE readme_fts USING fts5 (readme, content = '', contentless_delete = 1, tokenize = 'porter unicode61');
  INSERT INTO readme_fts (rowid, readme)
    SELECT w.id, COALESCE(json_extract(v.doc, '$.readme'), '') FROM workers w JOIN versions v ON v.id = COALESCE(
      (SELECT t.version_id FROM tags t WHERE t.worker_id = w.id AND t.name = 'latest'),
      (SELECT MAX(v2.id) FROM versions v2 WHERE v2.worker_id = w.id));
  `,
  // Issue 16 (start-up): the in-memory search index persisted under the catalog revision it was built at
  // (services/search/snapshot.ts); used only while that revision is current, so it is never stale.
  `
  CREATE TABLE IF NOT EXISTS search_snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    revision TEXT NOT NULL,
    data BLOB NOT NULL
  );
  `,
];
