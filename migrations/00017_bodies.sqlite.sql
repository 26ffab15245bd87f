-- Reporting bodies: who reports which cells (direction × category) of every
-- month, by which day of the following month, and the editors and approvers
-- who act for each. A cell belongs to at most one body; a cell with none
-- falls to the administrators.
-- +goose Up
CREATE TABLE bodies (
    id         INTEGER PRIMARY KEY,
    name_en    TEXT NOT NULL UNIQUE,
    name_ja    TEXT NOT NULL DEFAULT '',
    name_hi    TEXT NOT NULL DEFAULT '',
    due_day    INTEGER NOT NULL DEFAULT 15 CHECK (due_day BETWEEN 1 AND 28),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE body_cells (
    body_id   BIGINT NOT NULL REFERENCES bodies (id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('IN-JP', 'JP-IN')),
    category  TEXT NOT NULL REFERENCES categories (code),
    PRIMARY KEY (direction, category)
);
CREATE INDEX body_cells_body ON body_cells (body_id);

CREATE TABLE body_members (
    body_id BIGINT NOT NULL REFERENCES bodies (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (body_id, user_id)
);
CREATE INDEX body_members_user ON body_members (user_id);

-- +goose Down
DROP TABLE body_members;
DROP TABLE body_cells;
DROP TABLE bodies;
