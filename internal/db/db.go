// Package db opens HRX's database (SQLite or PostgreSQL) and applies its migrations.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/crc64"
	"net/url"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"hrx/migrations"
)

// Dialect names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is the database as the stores see it: writes go through W, reads through R.
//
// On SQLite these are two pools on one file: W has a single connection whose
// transactions begin IMMEDIATE, so writers queue on Go's side instead of failing
// with "database is locked"; R is read-only and may run many readers at once
// beside the writer (WAL). On PostgreSQL, W and R are the same pool.
type DB struct {
	W, R    *gorm.DB
	Dialect string
}

// Open connects to url: a postgres:// URL, or else a SQLite file path.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg := &gorm.Config{Logger: logger.Discard, NowFunc: func() time.Time { return time.Now().UTC() }}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		g, err := gorm.Open(postgres.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("opening PostgreSQL: %w", err)
		}
		sqlDB, _ := g.DB()
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		d := &DB{W: g, R: g, Dialect: Postgres}
		if err := d.Ping(ctx); err != nil {
			d.Close()
			return nil, err
		}
		return d, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if path == "" {
		return nil, errors.New("no database: set HRX_DATABASE_URL to a file path or a postgres:// URL")
	}
	base := "file:" + url.PathEscape(path) + "?_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=on&_busy_timeout=10000&_cache_size=-32000&_loc=UTC"
	w, err := gorm.Open(sqlite.Open(base+"&_txlock=immediate"), cfg)
	if err != nil {
		return nil, sqliteError(path, err)
	}
	wdb, _ := w.DB()
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxIdleTime(0)
	// Touch the file through the write pool first, so WAL mode is set before readers open it.
	if err := wdb.PingContext(ctx); err != nil {
		wdb.Close()
		return nil, sqliteError(path, err)
	}
	// After a large import the write-ahead log would otherwise keep its size on
	// disk; cut it back to 64 MB at each checkpoint (the writer's one connection).
	if _, err := wdb.ExecContext(ctx, "PRAGMA journal_size_limit = 67108864"); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("opening SQLite %s: %w", path, err)
	}
	r, err := gorm.Open(sqlite.Open(base+"&_query_only=1"), cfg)
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("opening SQLite %s: %w", path, err)
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(8)
	rdb.SetMaxIdleConns(8)
	return &DB{W: w, R: r, Dialect: SQLite}, nil
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	for _, g := range []*gorm.DB{d.W, d.R} {
		s, err := g.DB()
		if err != nil {
			return err
		}
		if err := s.PingContext(ctx); err != nil {
			return fmt.Errorf("database unreachable: %w", err)
		}
	}
	return nil
}

// Close closes both pools.
func (d *DB) Close() error {
	var errs []error
	seen := map[*sql.DB]bool{}
	for _, g := range []*gorm.DB{d.W, d.R} {
		if s, err := g.DB(); err == nil && !seen[s] {
			seen[s] = true
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}

func (d *DB) provider() (*goose.Provider, error) {
	s, err := d.W.DB()
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if d.Dialect == Postgres {
		dialect = goose.DialectPostgres
		// Several processes may start at once on one database: only one migrates.
		// The lock is per schema, so that databases in other schemas do not wait.
		var schema string
		if err := d.W.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
			return nil, err
		}
		id := int64(crc64.Checksum([]byte("hrx migrations "+schema), crc64.MakeTable(crc64.ECMA)) >> 1)
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, s, migrations.For(d.Dialect), opts...)
}

// Migrate applies every pending migration, HRX's and then the job engine's
// (migrateJobs), and returns how many of HRX's ran.
func (d *DB) Migrate(ctx context.Context) (int, error) {
	p, err := d.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("applying migrations: %w", err)
	}
	if _, err := d.migrateJobs(ctx); err != nil {
		return len(res), err
	}
	return len(res), nil
}

// SchemaCurrent reports whether every migration has been applied.
func (d *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	p, err := d.provider()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	return !pending, err
}

// Backup writes a consistent copy of a SQLite database to a new file, while
// other connections go on reading and writing. PostgreSQL has its own tools.
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.Dialect != SQLite {
		return errors.New("hrx backup copies SQLite databases; for PostgreSQL use pg_dump, e.g. pg_dump -Fc -f hrx.dump DATABASE_URL")
	}
	// VACUUM INTO reads one snapshot of the database and writes it, compacted, to
	// a new file; in WAL mode other processes go on writing meanwhile. It needs a
	// connection that is not query-only, so it runs on the writer.
	if err := d.W.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("backing up to %s: %w", path, err)
	}
	return nil
}

// sqliteError explains a failure to open a SQLite file. The one a person can
// least guess is a binary built without a C compiler: the SQLite driver is C
// code, and without cgo it builds but cannot open anything.
func sqliteError(path string, err error) error {
	if strings.Contains(err.Error(), "CGO_ENABLED=0") || strings.Contains(err.Error(), "requires cgo") {
		return fmt.Errorf("this hrx was built without a C compiler (CGO_ENABLED=0), so it cannot open the SQLite database %s. "+
			"Install a C compiler (gcc; on Debian or Ubuntu: apt-get install gcc) and build again with go build ./cmd/hrx, "+
			"or use PostgreSQL: HRX_DATABASE_URL=postgres://user@host/db", path)
	}
	return fmt.Errorf("opening SQLite %s: %w", path, err)
}
