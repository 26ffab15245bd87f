package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// throttleTables are the sign-in throttle's tables (the older and the newer
// schema). Their growth is excused up to throttleAllowance per attack: every
// refused sign-in may have to be remembered, but only in a bounded amount.
var throttleTables = []struct{ name, keyCol string }{{"login_attempts", "email"}, {"signin_throttle", "key"}}

// dbSize is one measurement of the database.
type dbSize struct {
	Used     int64  // bytes in use: SQLite's pages less its free list, or pg_database_size
	Files    int64  // SQLite only: the file, -wal and -shm, as they are on disk
	Throttle int64  // the sign-in throttle tables
	How      string // how Throttle was measured
}

// dbProbe measures the suite's database while the server runs.
type dbProbe struct {
	sqlitePath  string // set for SQLite
	postgresURL string // set for PostgreSQL
}

func openDB(p dbProbe) (*sql.DB, error) {
	var dial gorm.Dialector
	if p.postgresURL != "" {
		dial = postgres.Open(p.postgresURL)
	} else {
		// Read-only, and a connection per measurement, so the probe never holds
		// a snapshot that would keep the server's checkpoints from finishing.
		dial = sqlite.Open("file:" + p.sqlitePath + "?mode=ro&_busy_timeout=5000")
	}
	g, err := gorm.Open(dial, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return nil, err
	}
	return g.DB()
}

func (p dbProbe) size(ctx context.Context) (dbSize, error) {
	db, err := openDB(p)
	if err != nil {
		return dbSize{}, err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if p.postgresURL != "" {
		return postgresSize(ctx, db)
	}
	return sqliteSize(ctx, db, p.sqlitePath)
}

func sqliteSize(ctx context.Context, db *sql.DB, path string) (dbSize, error) {
	var s dbSize
	var pages, free, pageSize int64
	for _, q := range []struct {
		pragma string
		dst    *int64
	}{{"page_count", &pages}, {"freelist_count", &free}, {"page_size", &pageSize}} {
		if err := db.QueryRowContext(ctx, "PRAGMA "+q.pragma).Scan(q.dst); err != nil {
			return s, fmt.Errorf("PRAGMA %s: %w", q.pragma, err)
		}
	}
	s.Used = (pages - free) * pageSize
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			s.Files += fi.Size()
		}
	}
	// dbstat gives the pages of each table and index when SQLite was built
	// with it; otherwise the throttle rows are estimated from their keys
	// (stored twice: in the table and in its primary-key index).
	var names []string
	for _, t := range throttleTables {
		names = append(names, "'"+t.name+"'")
	}
	in := strings.Join(names, ",")
	err := db.QueryRowContext(ctx, `SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN
		(SELECT name FROM sqlite_master WHERE tbl_name IN (`+in+`))`).Scan(&s.Throttle)
	if err == nil {
		s.How = "dbstat"
		return s, nil
	}
	s.Throttle, s.How = 0, "estimated from the keys"
	for _, t := range throttleTables {
		var exists int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, t.name).Scan(&exists)
		if exists == 0 {
			continue
		}
		var n, keys int64
		q := fmt.Sprintf(`SELECT COUNT(*), COALESCE(SUM(LENGTH(CAST(%s AS BLOB))), 0) FROM %s`, t.keyCol, t.name)
		if err := db.QueryRowContext(ctx, q).Scan(&n, &keys); err != nil {
			return s, err
		}
		s.Throttle += 2*keys + 64*n
	}
	return s, nil
}

func postgresSize(ctx context.Context, db *sql.DB) (dbSize, error) {
	s := dbSize{How: "pg_total_relation_size"}
	if err := db.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&s.Used); err != nil {
		return s, err
	}
	err := db.QueryRowContext(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'r' AND c.relname IN ('login_attempts', 'signin_throttle') AND n.nspname = current_schema()`).Scan(&s.Throttle)
	return s, err
}

// freshPostgres creates an empty database next to the one url names and
// returns its URL and a function that drops it.
func freshPostgres(ctx context.Context, raw string) (string, func(), error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, err
	}
	admin, err := openDB(dbProbe{postgresURL: raw})
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("hrx_abuse_%d_%d", os.Getpid(), time.Now().Unix())
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("creating database %s: %w", name, err)
	}
	u.Path = "/" + name
	drop := func() {
		admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
		admin.Close()
	}
	return u.String(), drop, nil
}
