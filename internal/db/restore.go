package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
)

// Schema is where a database's schema stands against this binary's migrations.
type Schema struct {
	Version int64 // the highest migration applied to the database; 0 when none
	Known   int64 // the highest migration this binary has
}

// Current reports whether the database has every migration this binary has, and no later one.
func (s Schema) Current() bool { return s.Version == s.Known }

// Newer reports whether the database was migrated by a newer binary than this one.
func (s Schema) Newer() bool { return s.Version > s.Known }

// ErrNoSchema is a database without goose's record of migrations: not an HRX
// database, or one never migrated.
var ErrNoSchema = errors.New("the database has no record of HRX's migrations (no goose_db_version table)")

// Schema reads the schema version of the database, without changing anything
// and without waiting for a migration running elsewhere.
func (d *DB) Schema(ctx context.Context) (Schema, error) {
	var n int64
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'"
	if d.Dialect == Postgres {
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'goose_db_version'"
	}
	if err := d.R.WithContext(ctx).Raw(q).Scan(&n).Error; err != nil {
		return Schema{}, err
	}
	if n == 0 {
		return Schema{}, ErrNoSchema
	}
	p, err := d.provider()
	if err != nil {
		return Schema{}, err
	}
	var s Schema
	if src := p.ListSources(); len(src) > 0 {
		s.Known = src[len(src)-1].Version
	}
	if err := d.R.WithContext(ctx).Raw("SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&s.Version).Error; err != nil {
		return Schema{}, fmt.Errorf("reading the schema version: %w", err)
	}
	return s, nil
}

// CheckIntegrity runs SQLite's integrity check over the whole file and
// returns its first complaints as the error; nil when the file is sound.
func (d *DB) CheckIntegrity(ctx context.Context) error {
	if d.Dialect != SQLite {
		return errors.New("the integrity check is for SQLite files")
	}
	var lines []string
	if err := d.R.WithContext(ctx).Raw("PRAGMA integrity_check(20)").Scan(&lines).Error; err != nil {
		return fmt.Errorf("checking integrity: %w", err)
	}
	if len(lines) == 1 && lines[0] == "ok" {
		return nil
	}
	return fmt.Errorf("the file fails SQLite's integrity check: %s", strings.Join(lines, "; "))
}

// Checkpoint moves everything in the write-ahead log into the SQLite file and
// empties the log, so that the file alone holds the whole database.
func (d *DB) Checkpoint(ctx context.Context) error {
	if d.Dialect != SQLite {
		return nil
	}
	var busy, logged, moved int
	if err := d.W.WithContext(ctx).Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row().Scan(&busy, &logged, &moved); err != nil {
		return fmt.Errorf("checkpointing: %w", err)
	}
	if busy != 0 {
		return errors.New("checkpointing: another connection is using the database")
	}
	return nil
}

// sqliteMagic is how every SQLite database file begins.
const sqliteMagic = "SQLite format 3\x00"

// IsSQLiteFile reports whether the file at path begins as a SQLite database does.
func IsSQLiteFile(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	b := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, b); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, err
	}
	return string(b) == sqliteMagic, nil
}

// InUse reports whether another connection, in this process or another (a
// running hrx serve), has the SQLite file at path open.
//
// In WAL mode every open connection holds a shared lock on the file for as
// long as it is open, not only while it reads. A connection in exclusive
// locking mode must take an exclusive lock to read at all, so it fails, after
// a short wait, exactly when someone else has the file open. A file in the
// older rollback mode is locked only during a transaction; BEGIN EXCLUSIVE
// finds one running. When nobody else has the file, closing the probe folds
// its write-ahead log into it, as any last connection does.
func InUse(ctx context.Context, path string) (bool, error) {
	dsn := "file:" + url.PathEscape(path) + "?_locking_mode=EXCLUSIVE&_busy_timeout=500&_loc=UTC"
	s, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return false, sqliteError(path, err)
	}
	defer s.Close()
	s.SetMaxOpenConns(1)
	busy := func(err error) bool {
		msg := err.Error()
		return strings.Contains(msg, "database is locked") || strings.Contains(msg, "busy")
	}
	conn, err := s.Conn(ctx)
	if err != nil {
		if busy(err) {
			return true, nil
		}
		return false, sqliteError(path, err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master").Scan(&n); err != nil {
		if busy(err) {
			return true, nil
		}
		return false, fmt.Errorf("reading %s: %w", path, err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		if busy(err) {
			return true, nil
		}
		return false, fmt.Errorf("reading %s: %w", path, err)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		return false, err
	}
	return false, nil
}

// MigrateTo applies HRX's migrations up to version and no further, nor the
// job engine's: the database as an older hrx left it (tests of restoring an
// old backup use it).
func (d *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := d.provider()
	if err != nil {
		return err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("applying migrations up to %d: %w", version, err)
	}
	return nil
}
