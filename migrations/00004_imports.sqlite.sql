-- Uploads: each file's preview (staged rows and issues), what applying it changed
-- (for revert), and the API tokens that may upload.
-- +goose Up
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    user_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor           TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    file_size       BIGINT NOT NULL,
    sha256          TEXT NOT NULL,
    format          TEXT NOT NULL DEFAULT '',
    mode            TEXT NOT NULL CHECK (mode IN ('merge', 'replace')),
    state           TEXT NOT NULL CHECK (state IN ('staging', 'preview', 'applied', 'reverted', 'expired')),
    row_count       BIGINT NOT NULL DEFAULT 0,
    new_count       BIGINT NOT NULL DEFAULT 0,
    changed_count   BIGINT NOT NULL DEFAULT 0,
    unchanged_count BIGINT NOT NULL DEFAULT 0,
    removed_count   BIGINT NOT NULL DEFAULT 0,
    error_count     BIGINT NOT NULL DEFAULT 0,
    warning_count   BIGINT NOT NULL DEFAULT 0,
    months          TEXT NOT NULL DEFAULT '',
    -- the state of the file's months when the preview was made; apply refuses if it moved
    fingerprint     TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    applied_at      TIMESTAMP,
    reverted_at     TIMESTAMP,
    reverted_by     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX imports_created ON imports (created_at);

CREATE TABLE import_rows (
    import_id   BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,
    month       TEXT NOT NULL,
    direction   TEXT NOT NULL,
    category    TEXT NOT NULL,
    sector      TEXT NOT NULL,
    origin      TEXT NOT NULL,
    destination TEXT NOT NULL,
    count       BIGINT NOT NULL,
    status      TEXT NOT NULL,
    source      TEXT NOT NULL,
    note        TEXT NOT NULL,
    -- what applying the row does, worked out at preview: new, changed or unchanged
    action      TEXT NOT NULL CHECK (action IN ('new', 'changed', 'unchanged')),
    PRIMARY KEY (import_id, line)
) WITHOUT ROWID;

CREATE TABLE import_issues (
    import_id   BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
    line        INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    value       TEXT NOT NULL,
    message     TEXT NOT NULL,
    PRIMARY KEY (import_id, seq)
);

CREATE TABLE import_changes (
    import_id   BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('added', 'changed', 'removed')),
    month       TEXT NOT NULL,
    direction   TEXT NOT NULL,
    category    TEXT NOT NULL,
    sector      TEXT NOT NULL,
    origin      TEXT NOT NULL,
    destination TEXT NOT NULL,
    old_count   BIGINT,
    old_status  TEXT NOT NULL DEFAULT '',
    old_source  TEXT NOT NULL DEFAULT '',
    old_note    TEXT NOT NULL DEFAULT '',
    old_import_id BIGINT,
    PRIMARY KEY (import_id, month, direction, category, sector, origin, destination)
);

-- The import that last wrote a figure; a form save clears it. Revert checks it
-- to refuse undoing rows that something later changed.
ALTER TABLE figures ADD COLUMN import_id BIGINT;

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

-- +goose Down
DROP TABLE api_tokens;
ALTER TABLE figures DROP COLUMN import_id;
DROP TABLE import_changes;
DROP TABLE import_issues;
DROP TABLE import_rows;
DROP TABLE imports;
