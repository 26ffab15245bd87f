// Package cli is the hrx command: it parses the command line and wires the parts together.
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

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

const usage = `hrx tracks the India–Japan Action Plan for Human Resource Exchange.

Usage:
  hrx [serve] [--addr :8080] [--database hrx.db] [--demo]   run the web app (migrates first)
  hrx migrate                                                 apply the database migrations
  hrx user add --email E --role R [--name N]                  create a user (password from stdin, or generated)
  hrx import [--dry-run] [--replace] [--json] [--as EMAIL] FILE   import a CSV or XLSX file
  hrx export [--format csv|xlsx] [--out FILE] [--from M] [--to M] [--published]  write figures in the upload format
  hrx month publish FROM..TO [--as EMAIL] [--comment C] [--single-approver] [--nothing-to-report]
                                                              publish the range in month order (stops at the first it cannot)
  hrx month reopen M --reason R [--as EMAIL]                  reopen a published month for revision
  hrx token add --email E [--name N]                          create an API token (printed once)
  hrx backup FILE                                             write a consistent copy of the SQLite database
  hrx mail test TO [--lang en|ja|hi]                          send a test e-mail through HRX_SMTP_URL and print the server's answer
  hrx remind [--dry-run] [--date YYYY-MM-DD]                  who is reminded of missing figures today, and why
  hrx demo                                                    load the demonstration data set
  hrx version                                                 print the version

Settings come from flags or the environment: HRX_ADDR, HRX_DATABASE_URL,
HRX_BASE_URL, HRX_EMBED_ORIGINS, HRX_MAX_UPLOAD_MB, HRX_LOG_FORMAT,
HRX_SMTP_URL, HRX_MAIL_FROM.
`

// RunWith runs a command with the given environment.
func RunWith(ctx context.Context, env Env, args []string) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, env, args)
	case "migrate":
		err = migrate(ctx, env, args)
	case "user":
		err = user(ctx, env, args)
	case "demo":
		err = demoCmd(ctx, env, args)
	case "import":
		err = importCmd(ctx, env, args)
	case "export":
		err = exportCmd(ctx, env, args)
	case "token":
		err = tokenCmd(ctx, env, args)
	case "month":
		err = monthCmd(ctx, env, args)
	case "backup":
		err = backup(ctx, env, args)
	case "mail":
		err = mailCmd(ctx, env, args)
	case "remind":
		err = remindCmd(ctx, env, args)
	case "version":
		fmt.Fprintln(env.Stdout, "hrx", version())
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
	default:
		fmt.Fprintf(env.Stderr, "hrx: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if err != errRejected {
			fmt.Fprintln(env.Stderr, "hrx:", err)
		}
		return 1
	}
	return 0
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

func migrate(ctx context.Context, env Env, args []string) error {
	cfg, err := config.Parse("hrx migrate", args, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "applied %d migrations; the schema is current\n", n)
	return nil
}
