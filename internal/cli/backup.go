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

// backup writes a consistent copy of the SQLite database, safe while the server runs.
func backup(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("hrx backup", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	dbURL := fs.String("database", "", "SQLite file or postgres:// URL (HRX_DATABASE_URL)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: hrx backup FILE")
	}
	out, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists already; choose a new file name", out)
	}
	cfg, err := config.Parse("hrx backup", dbArgs(*dbURL), env.Getenv, env.Stderr)
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
