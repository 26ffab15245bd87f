-- The core schema: people, sessions, reference lists, figures, targets, month states and the audit log.
-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'approver', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_attempts (
    email        TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    last_failure TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);

CREATE TABLE categories (
    code           TEXT PRIMARY KEY,
    skilled        BOOLEAN NOT NULL DEFAULT FALSE,
    name_en        TEXT NOT NULL,
    name_ja        TEXT NOT NULL DEFAULT '',
    name_hi        TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    position       INTEGER NOT NULL DEFAULT 0,
    retired        BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE sectors (
    code      TEXT PRIMARY KEY,
    ssw_field BOOLEAN NOT NULL DEFAULT FALSE,
    name_en   TEXT NOT NULL,
    name_ja   TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE regions (
    code       TEXT PRIMARY KEY,
    country    TEXT NOT NULL CHECK (country IN ('IN', 'JP')),
    name_en    TEXT NOT NULL,
    name_local TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE region_aliases (
    alias TEXT PRIMARY KEY,
    code  TEXT NOT NULL REFERENCES regions (code)
);

CREATE TABLE figures (
    id          INTEGER PRIMARY KEY,
    month       TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('IN-JP', 'JP-IN')),
    category    TEXT NOT NULL REFERENCES categories (code),
    sector      TEXT NOT NULL DEFAULT '',
    origin      TEXT NOT NULL DEFAULT '',
    destination TEXT NOT NULL DEFAULT '',
    count       BIGINT NOT NULL CHECK (count >= 0),
    status      TEXT NOT NULL DEFAULT 'final' CHECK (status IN ('provisional', 'final')),
    source      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (month, direction, category, sector, origin, destination)
);

-- Totals per (month, direction, category), kept in step with figures in the same
-- transaction as every write, so that progress over a million rows reads a few hundred.
CREATE TABLE month_totals (
    month     TEXT NOT NULL,
    direction TEXT NOT NULL,
    category  TEXT NOT NULL,
    total     BIGINT NOT NULL,
    row_count INTEGER NOT NULL,
    PRIMARY KEY (month, direction, category)
);

CREATE TABLE month_states (
    month      TEXT PRIMARY KEY,
    state      TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'submitted', 'published')),
    changed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    changed_at TIMESTAMP NOT NULL
);

CREATE TABLE targets (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name_en      TEXT NOT NULL,
    name_ja      TEXT NOT NULL DEFAULT '',
    name_hi      TEXT NOT NULL DEFAULT '',
    value        BIGINT NOT NULL CHECK (value > 0),
    start_month  TEXT NOT NULL,
    end_month    TEXT NOT NULL,
    directions   TEXT NOT NULL DEFAULT '',
    categories   TEXT NOT NULL DEFAULT '',
    skilled_only BOOLEAN NOT NULL DEFAULT FALSE,
    published    BOOLEAN NOT NULL DEFAULT TRUE,
    position     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE target_milestones (
    target_id BIGINT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    month     TEXT NOT NULL,
    value     BIGINT NOT NULL CHECK (value >= 0),
    PRIMARY KEY (target_id, month)
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TIMESTAMP NOT NULL,
    user_id    BIGINT,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_key TEXT NOT NULL DEFAULT '',
    month      TEXT NOT NULL DEFAULT '',
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_month ON audit_log (month);

-- One row whose version moves on every change to what progress is computed from;
-- caches in every process key on it, so several processes agree.
CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

INSERT INTO targets (slug, name_en, name_ja, name_hi, value, start_month, end_month, directions, categories, skilled_only, published, position)
VALUES ('total-exchange', 'Total human resource exchange', '人材交流の総数', 'कुल मानव संसाधन आदान-प्रदान', 500000, '2025-09', '2030-08', '', '', FALSE, TRUE, 1);
INSERT INTO targets (slug, name_en, name_ja, name_hi, value, start_month, end_month, directions, categories, skilled_only, published, position)
VALUES ('skilled-workers', 'Skilled personnel from India to Japan', 'インドから日本への高度・専門人材', 'भारत से जापान कुशल कार्मिक', 50000, '2025-09', '2030-08', 'IN-JP', '', TRUE, TRUE, 2);

-- +goose Down
DROP TABLE data_version;
DROP TABLE audit_log;
DROP TABLE target_milestones;
DROP TABLE targets;
DROP TABLE month_states;
DROP TABLE month_totals;
DROP TABLE figures;
DROP TABLE region_aliases;
DROP TABLE regions;
DROP TABLE sectors;
DROP TABLE categories;
DROP TABLE setup_tokens;
DROP TABLE login_attempts;
DROP TABLE sessions;
DROP TABLE users;
