package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/i18n"
)

var restoreCommand = &command{
	name:    "restore",
	args:    "BACKUP",
	summary: "make the SQLite database from a backup written by hrx backup, checked first",
	about: "Checks BACKUP, a file written by hrx backup (SQLite's integrity check, and a schema that this hrx knows: an older one " +
		"is migrated forward, and it says so), then makes it the database (--database or HRX_DATABASE_URL): it is copied to a new " +
		"file beside the database and renamed over it only once everything passed, so a failure leaves the database as it was. " +
		"It refuses to replace a database that holds users, figures or published months, or that a running hrx serve has open, " +
		"unless given --force (stop the server first: a server left running goes on with the old data until restarted). " +
		"PostgreSQL is restored with pg_restore from a pg_dump -Fc file; then hrx migrate --check says whether its schema is " +
		"this hrx's.",
	examples: []string{"hrx restore --database /data/hrx.db /backups/2026-11-27/hrx.db   # into a new file, or one with no data"},
	env:      dbEnv,
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		dbURL := databaseFlag(fs)
		force := fs.Bool("force", false, "replace a database that holds data or that a running server has open")
		return func(ctx context.Context, pos []string) error { return restore(ctx, env, pos, *dbURL, *force) }
	},
}

// pgRestoreHelp is what hrx restore answers for a PostgreSQL database.
const pgRestoreHelp = "hrx restore makes SQLite databases from hrx backup's files; a PostgreSQL database is restored " +
	"with PostgreSQL's own tools. Dump it with pg_dump -Fc -f hrx.dump DATABASE_URL, restore into a new, empty database " +
	"with createdb hrx_restored && pg_restore --no-owner --exit-on-error -d hrx_restored hrx.dump, then check its schema " +
	"with hrx migrate --check --database postgres://…/hrx_restored (README.md, Backups and restore)"

// restore makes the SQLite database from a backup file; see restoreCommand.
func restore(ctx context.Context, env Env, pos []string, dbURL string, force bool) error {
	if len(pos) != 1 {
		return usageError{msg: "hrx restore takes one BACKUP file", helpFor: "restore"}
	}
	cfg, err := config.Parse("hrx restore", dbArgs(dbURL), env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	if isPostgres(cfg.DatabaseURL) {
		return usageError{msg: pgRestoreHelp, helpFor: "restore"}
	}
	src, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	dst, err := filepath.Abs(strings.TrimPrefix(strings.TrimPrefix(cfg.DatabaseURL, "sqlite://"), "file:"))
	if err != nil {
		return err
	}
	if err := checkBackupFile(src, dst); err != nil {
		return err
	}
	if err := checkDestination(ctx, env, dst, force); err != nil {
		return err
	}
	dir := filepath.Dir(dst)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("the folder %s does not exist and could not be made: %w", dir, err)
		}
		fmt.Fprintf(env.Stdout, "made the folder %s\n", dir)
	}
	// Everything is done to a copy beside the database, on the same file
	// system, so the rename that puts it in place is atomic.
	tmp, err := copyToTemp(src, dir, filepath.Base(dst))
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			removeSQLite(tmp)
		}
	}()
	summary, err := verifyCopy(ctx, env, src, tmp)
	if err != nil {
		return err
	}
	// Closed, the copy is whole in its one file: a log left with anything in
	// it would be lost in the rename.
	for _, side := range []string{tmp + "-wal", tmp + "-shm"} {
		if fi, err := os.Stat(side); err == nil && fi.Size() > 0 && strings.HasSuffix(side, "-wal") {
			return fmt.Errorf("the restored copy %s still has a write-ahead log; nothing was restored", tmp)
		}
		os.Remove(side)
	}
	// The old database's write-ahead log and index must not be read as the new one's.
	for _, side := range []string{dst + "-wal", dst + "-shm"} {
		if err := os.Remove(side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("putting the restored database in place: %w", err)
	}
	done = true
	syncDir(dir)
	fmt.Fprintf(env.Stdout, "restored %s from %s: %s\n", dst, src, summary)
	return nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// checkBackupFile refuses what is not a backup: a missing file, the database
// itself, a file that is not SQLite's, or a live database's file with its
// write-ahead log beside it (copied while running, it is not whole).
func checkBackupFile(src, dst string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("the backup %s cannot be read: %w", src, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("the backup %s is not a file", src)
	}
	if src == dst {
		return fmt.Errorf("the backup %s is the database itself; name the database to restore into with --database", src)
	}
	ok, err := db.IsSQLiteFile(src)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s is not a SQLite database file; hrx restore takes a file written by hrx backup", src)
	}
	if wal, err := os.Stat(src + "-wal"); err == nil && wal.Size() > 0 {
		return fmt.Errorf("%s has a write-ahead log beside it (%s-wal): it is a running database's file, which a copy does not hold whole; "+
			"make a backup of it with hrx backup and restore that", src, src)
	}
	return nil
}

// checkDestination refuses to replace a database in use or holding data, unless forced.
func checkDestination(ctx context.Context, env Env, dst string, force bool) error {
	if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	inUse, err := db.InUse(ctx, dst)
	if err != nil {
		return err
	}
	if inUse {
		if !force {
			return fmt.Errorf("%s is in use: a running hrx serve (or another program) has it open. Stop it, then run hrx restore again; "+
				"--force replaces it anyway, and a server left running goes on with the old data until it is restarted", dst)
		}
		fmt.Fprintf(env.Stderr, "hrx: --force: %s is in use; replacing it. Restart the server that has it open, or it goes on with the old data.\n", dst)
		return nil
	}
	ok, err := db.IsSQLiteFile(dst)
	if err != nil {
		return err
	}
	if fi, _ := os.Stat(dst); !ok && fi != nil && fi.Size() > 0 {
		if !force {
			return fmt.Errorf("%s exists and is not a SQLite database; choose another file, or pass --force to replace it", dst)
		}
		return nil
	}
	if !ok {
		return nil // an empty file
	}
	h, err := holdingsAt(ctx, dst)
	if err != nil {
		if !force {
			return fmt.Errorf("%s exists and cannot be read as an HRX database (%v); pass --force to replace it", dst, err)
		}
		return nil
	}
	if !h.empty() {
		if !force {
			return fmt.Errorf("%s holds %s; restoring would replace them. Back it up first (hrx backup), then pass --force to replace it", dst, h)
		}
		fmt.Fprintf(env.Stderr, "hrx: --force: replacing %s, which holds %s.\n", dst, h)
	}
	return nil
}

// holdingsAt reads what the SQLite database at path holds, without migrating it.
func holdingsAt(ctx context.Context, path string) (holdings, error) {
	d, err := db.Open(ctx, path)
	if err != nil {
		return holdings{}, err
	}
	defer d.Close()
	if _, err := d.Schema(ctx); errors.Is(err, db.ErrNoSchema) {
		return holdings{}, nil // never migrated: nothing of HRX's in it
	} else if err != nil {
		return holdings{}, err
	}
	return holdingsOf(ctx, d)
}

// copyToTemp copies src to a new hidden file in dir and returns its path.
func copyToTemp(src, dir, base string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, "."+base+".restore-*")
	if err != nil {
		return "", fmt.Errorf("making the new database file in %s: %w", dir, err)
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("copying %s: %w", src, err)
	}
	return out.Name(), nil
}

// verifyCopy checks the copy of the backup at tmp, migrates it forward if its
// schema is older than this hrx's, folds its write-ahead log into the file, and
// says what it holds.
func verifyCopy(ctx context.Context, env Env, src, tmp string) (string, error) {
	d, err := db.Open(ctx, tmp)
	if err != nil {
		return "", err
	}
	defer d.Close()
	if err := d.CheckIntegrity(ctx); err != nil {
		return "", fmt.Errorf("%s: %w; nothing was restored", src, err)
	}
	s, err := d.Schema(ctx)
	if errors.Is(err, db.ErrNoSchema) {
		return "", fmt.Errorf("%s is a SQLite file but not an HRX database (no record of its migrations); nothing was restored", src)
	}
	if err != nil {
		return "", err
	}
	if s.Newer() {
		return "", fmt.Errorf("%s was written by a newer hrx: its schema is at version %d, and this hrx knows up to %d. "+
			"Restore it with that hrx or a later one; nothing was restored", src, s.Version, s.Known)
	}
	fmt.Fprintf(env.Stdout, "checked %s: SQLite's integrity check passed; schema version %d (this hrx: %d)\n", src, s.Version, s.Known)
	n, err := d.Migrate(ctx)
	if err != nil {
		return "", fmt.Errorf("migrating the restored copy of %s: %w; nothing was restored", src, err)
	}
	if n > 0 {
		fmt.Fprintf(env.Stdout, "the backup's schema was at version %d: applied %d %s, now at version %d\n", s.Version, n, plural(n, "migration", "migrations"), s.Known)
	}
	h, err := holdingsOf(ctx, d)
	if err != nil {
		return "", err
	}
	var entries int64
	if err := d.R.WithContext(ctx).Raw("SELECT COUNT(*) FROM audit_log").Scan(&entries).Error; err != nil {
		return "", err
	}
	if err := d.Checkpoint(ctx); err != nil {
		return "", err
	}
	l := i18n.New(i18n.EN, "")
	return fmt.Sprintf("%s; %s %s", h, l.N(entries), plural(int(entries), "audit entry", "audit entries")), nil
}

// removeSQLite removes a database file and its write-ahead log and index.
func removeSQLite(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
