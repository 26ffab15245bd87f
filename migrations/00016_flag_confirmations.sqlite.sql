-- A figure flagged as far from its recent level is published only once the
-- publisher has confirmed it with a reason. A confirmation holds for the
-- value it was given for: when the figure changes, it is flagged anew and
-- needs confirming again. Rows are only ever added; each is also in the audit log.
-- +goose Up
CREATE TABLE flag_confirmations (
    id           INTEGER PRIMARY KEY,
    month        TEXT NOT NULL,
    flag_key     TEXT NOT NULL,
    value        BIGINT NOT NULL,
    reason       TEXT NOT NULL,
    user_id      BIGINT,
    actor        TEXT NOT NULL,
    confirmed_at TIMESTAMP NOT NULL
);
CREATE INDEX flag_confirmations_month ON flag_confirmations (month, flag_key);

-- +goose Down
DROP TABLE flag_confirmations;
