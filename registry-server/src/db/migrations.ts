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
  // Issue 12: README full text with English stemming (the search stems queries; `"schedul"*` prefixes were slow).
  // The table is refilled by ReadmeSearchRepository.repair() at the next start (row counts disagree).
  `
  DROP TABLE readme_fts;
  CREATE VIRTUAL TABLE readme_fts USING fts5 (readme, tokenize = 'porter unicode61');
  `,
];
