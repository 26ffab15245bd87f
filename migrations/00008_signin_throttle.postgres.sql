-- Sign-in throttling by growing delays instead of a lock: one row per key (an
-- account, an account from one client address, one client address, a user's
-- password-change form), counting the attempts of the last hour. A row is only
-- ever written by an attempt that was let through, so a flood of refused
-- attempts writes nothing; rows older than the window are purged.
-- +goose Up
DROP TABLE login_attempts;
CREATE TABLE signin_throttle (
    key          TEXT PRIMARY KEY,
    attempts     INTEGER NOT NULL,
    last_attempt TIMESTAMPTZ NOT NULL,
    next_allowed TIMESTAMPTZ NOT NULL
);
CREATE INDEX signin_throttle_last_attempt ON signin_throttle (last_attempt);

-- +goose Down
DROP TABLE signin_throttle;
CREATE TABLE login_attempts (
    email        TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    last_failure TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ
);
