-- Single sign-on (OpenID Connect). user_identities links an account to the
-- provider's person (issuer and subject), so that a changed e-mail address at
-- the provider still reaches the same account. access_requests are the people
-- the provider vouched for whom no rule gave a role: an administrator grants
-- or dismisses each at /admin/users. oidc_logins hold a sign-in under way
-- (state, nonce and PKCE verifier), keyed by the hash of a cookie the browser
-- holds, so that any process behind a load balancer can finish it, and only
-- the browser that started it. A session made by single sign-on keeps the ID
-- token, sent back to the provider as the hint when the person signs out.
-- +goose Up
CREATE TABLE user_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

CREATE TABLE access_requests (
    id           INTEGER PRIMARY KEY,
    issuer       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    email        TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    group_names  TEXT NOT NULL DEFAULT '',
    requested_at TIMESTAMP NOT NULL,
    UNIQUE (issuer, subject)
);

CREATE TABLE oidc_logins (
    id         TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    next       TEXT NOT NULL DEFAULT '',
    expires_at TIMESTAMP NOT NULL
);

ALTER TABLE sessions ADD COLUMN id_token TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions DROP COLUMN id_token;
DROP TABLE oidc_logins;
DROP TABLE access_requests;
DROP TABLE user_identities;
