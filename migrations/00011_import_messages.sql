-- Uploads keep their messages as catalog ids with arguments, so that a preview
-- and its problems are written in the language of whoever reads them. The
-- English text stays in message and format, for people reading the database
-- and for the rows stored before; an empty id means the row has only that.
-- +goose Up
ALTER TABLE import_issues ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE import_issues ADD COLUMN message_args TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN format_id TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN format_args TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE imports DROP COLUMN format_args;
ALTER TABLE imports DROP COLUMN format_id;
ALTER TABLE import_issues DROP COLUMN message_args;
ALTER TABLE import_issues DROP COLUMN message_id;
