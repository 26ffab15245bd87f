-- Comments on a month, or on one cell of it (direction and category; both
-- empty for the month), by anyone who may see its figures. They are never
-- changed or removed; each one is also in the audit log.
-- +goose Up
CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    month      TEXT NOT NULL,
    direction  TEXT NOT NULL DEFAULT '',
    category   TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    user_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    author     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX comments_month ON comments (month, direction, category);

-- +goose Down
DROP TABLE comments;
