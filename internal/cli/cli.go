// Package cli is the hrx command: it parses the command line and wires the parts together.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"hrx/internal/config"
	"hrx/internal/db"
)

// Env is what a command may touch of the outside world, so tests can give their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	StdinIsTTY     bool
}

// Run runs the command named in args (args[0] is the program name) and returns the exit status.
func Run(args []string) int {
	fi, _ := os.Stdin.Stat()
	env := Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		StdinIsTTY: fi != nil && fi.Mode()&os.ModeCharDevice != 0}
	return RunWith(context.Background(), env, args[1:])
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return s.Value[:12]
			}
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
	}
	return "dev"
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// openDatabase reads the settings of a command that only needs the database
// (--database or HRX_DATABASE_URL), opens it and brings its schema up to date.
func openDatabase(ctx context.Context, env Env, name, dbURL string) (*db.DB, error) {
	cfg, err := config.Parse(name, dbArgs(dbURL), env.Getenv, env.Stderr)
	if err != nil {
		return nil, err
	}
	return openMigrated(ctx, cfg, newLogger(cfg, env.Stderr))
}

// openMigrated opens the configured database and brings its schema up to date.
func openMigrated(ctx context.Context, cfg config.Config, log *slog.Logger) (*db.DB, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	n, err := d.Migrate(ctx)
	if err != nil {
		d.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("database migrated", "applied", n)
	}
	return d, nil
}

var migrateCommand = &command{
	name:    "migrate",
	summary: "apply the database migrations and stop",
	about: "Brings the database's schema up to date (hrx serve does this too when it starts) and says how many migrations it applied. " +
		"With --check it changes nothing: it says the database's schema version against this hrx's, and exits 0 when they are the " +
		"same, 1 when not (after pg_restore, or before starting a new hrx on an old database).",
	examples: []string{
		"hrx migrate --database postgres://hrx@db.example.gov.in/hrx   # before starting new servers",
		"hrx migrate --check --database postgres://hrx@db.example.gov.in/hrx_restored   # after pg_restore",
	},
	env: dbEnv,
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		dbURL := databaseFlag(fs)
		check := fs.Bool("check", false, "only say whether the schema is this hrx's (exit 0) or not (exit 1); change nothing")
		return func(ctx context.Context, pos []string) error {
			if len(pos) > 0 {
				return fmt.Errorf("unexpected argument %q", pos[0])
			}
			cfg, err := config.Parse("hrx migrate", dbArgs(*dbURL), env.Getenv, env.Stderr)
			if err != nil {
				return err
			}
			d, err := db.Open(ctx, cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer d.Close()
			if *check {
				return checkSchema(ctx, env, d)
			}
			n, err := d.Migrate(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "applied %d migrations; the schema is current\n", n)
			return nil
		}
	},
}

// checkSchema says where the database's schema stands against this hrx's
// migrations; an error (exit status 1) when they differ.
func checkSchema(ctx context.Context, env Env, d *db.DB) error {
	s, err := d.Schema(ctx)
	if errors.Is(err, db.ErrNoSchema) {
		return errors.New("the database has no HRX schema: it was never migrated, or it is not an HRX database (hrx migrate makes one)")
	}
	if err != nil {
		return err
	}
	switch {
	case s.Newer():
		return fmt.Errorf("schema version %d is newer than this hrx knows (%d): run the hrx that migrated it, or a later one", s.Version, s.Known)
	case !s.Current():
		return fmt.Errorf("schema version %d is older than this hrx's (%d): hrx migrate (or hrx serve) applies the newer migrations", s.Version, s.Known)
	}
	fmt.Fprintf(env.Stdout, "schema version %d: current for this hrx\n", s.Version)
	return nil
}

// databaseFlag adds --database, the database of a command that is not serve.
func databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database", "", "SQLite file or postgres:// `URL` (default: HRX_DATABASE_URL, else hrx.db)")
}
