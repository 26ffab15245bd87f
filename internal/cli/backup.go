package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"hrx/internal/config"
	"hrx/internal/db"
)

var backupCommand = &command{
	name:    "backup",
	args:    "FILE",
	summary: "write a consistent copy of the SQLite database, safe while the server runs",
	about: "Writes a consistent copy of the SQLite database to FILE, a new file (its folder is made if needed), while " +
		"the server keeps running. For PostgreSQL use pg_dump.",
	examples: []string{"hrx backup /backups/2026-11-27/hrx.db"},
	env:      dbEnv,
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		dbURL := databaseFlag(fs)
		return func(ctx context.Context, pos []string) error { return backup(ctx, env, pos, *dbURL) }
	},
}

// backup writes a consistent copy of the SQLite database, safe while the server runs.
func backup(ctx context.Context, env Env, pos []string, dbURL string) error {
	if len(pos) != 1 {
		return usageError{msg: "hrx backup takes one FILE", helpFor: "backup"}
	}
	out, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists already; choose a new file name", out)
	}
	cfg, err := config.Parse("hrx backup", dbArgs(dbURL), env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer d.Close()
	// A backup often goes to a dated folder of its own: make it, and say so.
	dir := filepath.Dir(out)
	if d.Dialect == db.SQLite {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return fmt.Errorf("the folder %s does not exist and could not be made: %w", dir, err)
			}
			fmt.Fprintf(env.Stdout, "made the folder %s\n", dir)
		}
	}
	if err := d.Backup(ctx, out); err != nil {
		return err
	}
	fi, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes), a consistent copy of the database\n", out, fi.Size())
	return nil
}
