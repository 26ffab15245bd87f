-- Month approval and publication. A month's state says who moved it last and
-- why; publishing copies the month's figures and totals into published_figures
-- and published_totals, which is all the public ever reads: while a published
-- month is reopened for revision, the public keeps the figures as last published.
-- +goose Up
ALTER TABLE month_states ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE month_states ADD COLUMN action TEXT NOT NULL DEFAULT '';
ALTER TABLE month_states ADD COLUMN comment TEXT NOT NULL DEFAULT '';
ALTER TABLE month_states ADD COLUMN published_at TIMESTAMPTZ;
ALTER TABLE month_states ADD COLUMN published_by TEXT NOT NULL DEFAULT '';
ALTER TABLE month_states ADD COLUMN publications INTEGER NOT NULL DEFAULT 0;

CREATE TABLE published_figures (
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
    PRIMARY KEY (month, direction, category, sector, origin, destination)
);

CREATE TABLE published_totals (
    month     TEXT NOT NULL,
    direction TEXT NOT NULL,
    category  TEXT NOT NULL,
    total     BIGINT NOT NULL,
    row_count INTEGER NOT NULL,
    PRIMARY KEY (month, direction, category)
);

-- +goose Down
DROP TABLE published_totals;
DROP TABLE published_figures;
ALTER TABLE month_states DROP COLUMN publications;
ALTER TABLE month_states DROP COLUMN published_by;
ALTER TABLE month_states DROP COLUMN published_at;
ALTER TABLE month_states DROP COLUMN comment;
ALTER TABLE month_states DROP COLUMN action;
ALTER TABLE month_states DROP COLUMN actor;
