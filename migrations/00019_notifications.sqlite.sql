-- What people are told: a month submitted (its approvers), sent back or
-- reopened (its editors, with the comment), published (the body), the
-- reminders of missing figures and the approvers' weekly digest. Each row is
-- one person's, shown in-app with its unread mark, and e-mailed by a job
-- when the person keeps that kind of e-mail on (email: '' not e-mailed,
-- queued, retrying, sent, failed, skipped), with the last answer or error
-- of the mail server. dedupe keeps one reminder per person a day and one
-- digest a week, however many processes run the job.
-- +goose Up
CREATE TABLE notifications (
    id             INTEGER PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    month          TEXT NOT NULL DEFAULT '',
    actor          TEXT NOT NULL DEFAULT '',
    comment        TEXT NOT NULL DEFAULT '',
    items          TEXT NOT NULL DEFAULT '',
    dedupe         TEXT UNIQUE,
    created_at     TIMESTAMP NOT NULL,
    read_at        TIMESTAMP,
    email          TEXT NOT NULL DEFAULT '',
    email_attempts INTEGER NOT NULL DEFAULT 0,
    email_error    TEXT NOT NULL DEFAULT '',
    email_answer   TEXT NOT NULL DEFAULT '',
    emailed_at     TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_email ON notifications (email) WHERE email IN ('retrying', 'failed');

-- Each person's choices: the language of their e-mails and the kinds of
-- e-mail turned off (space-separated: submitted returned published reminder digest).
CREATE TABLE notification_prefs (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    lang       TEXT NOT NULL DEFAULT '',
    off        TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE notification_prefs;
DROP TABLE notifications;
