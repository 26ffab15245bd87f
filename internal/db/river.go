package db

import (
	"context"
	"database/sql"
	"fmt"
	"hash/crc64"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// migrateJobs brings the job engine's own tables (River: river_job,
// river_leader, river_queue, …) up to date, after the application's.
//
// River's schema is River's: it ships its migrations with the library and
// records them in its own river_migration table, per driver (SQLite and
// PostgreSQL differ), and a new River version may add some. Copying them into
// migrations/ for goose would freeze them at one River version and let the two
// records disagree; so goose runs HRX's migrations and River's migrator runs
// River's, here, every time HRX migrates (hrx migrate, hrx serve, the tests).
// Both drivers work on database/sql, the pools HRX already has. River's
// migrator takes no lock of its own: on PostgreSQL the run holds an advisory
// lock, so several processes starting at once apply each version once; on
// SQLite the writer's transactions already queue.
func (d *DB) migrateJobs(ctx context.Context) (int, error) {
	s, err := d.W.DB()
	if err != nil {
		return 0, err
	}
	var m *rivermigrate.Migrator[*sql.Tx]
	if d.Dialect == Postgres {
		// One version's enum values cannot be used in the transaction that
		// adds them, so each version is its own transaction (Migrate) and the
		// lock is a session's, on a connection of its own.
		conn, err := s.Conn(ctx)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		var schema string
		if err := conn.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return 0, err
		}
		id := int64(crc64.Checksum([]byte("hrx river migrations "+schema), crc64.MakeTable(crc64.ECMA)) >> 1)
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
			return 0, err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", id)
		m, err = rivermigrate.New(riverdatabasesql.New(s), nil)
		if err != nil {
			return 0, err
		}
	} else if m, err = rivermigrate.New(riversqlite.New(s), nil); err != nil {
		return 0, err
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("applying the job engine's migrations: %w", err)
	}
	return len(res.Versions), nil
}
