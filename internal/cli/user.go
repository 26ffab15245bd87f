package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/users"
)

func user(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: hrx user add --email E --role viewer|editor|approver|admin [--name N]")
	}
	fs := flag.NewFlagSet("hrx user add", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	email := fs.String("email", "", "the user's email address")
	role := fs.String("role", "", "viewer, editor, approver or admin")
	name := fs.String("name", "", "the user's name (optional)")
	dbURL := fs.String("database", "", "SQLite file or postgres:// URL (HRX_DATABASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		return errors.New("hrx user add needs --email and --role (viewer, editor, approver or admin)")
	}
	var cfgArgs []string
	if *dbURL != "" {
		cfgArgs = []string{"--database", *dbURL}
	}
	cfg, err := config.Parse("hrx user add", cfgArgs, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	password, generated := "", false
	if env.StdinIsTTY {
		password, generated = users.GeneratePassword(), true
	} else {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("no password on standard input; pipe one in, or run from a terminal to have one generated")
		}
		password = strings.TrimRight(line, "\r\n")
	}
	d, err := openMigrated(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer d.Close()
	u, err := users.NewStore(d).Create(ctx, audit.System("hrx user add"), users.NewUser{Email: *email, Name: *name, Role: users.Role(*role), Password: password})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created %s with role %s\n", u.Email, u.Role)
	if generated {
		fmt.Fprintf(env.Stdout, "password: %s\n(shown once; they can change it at /account)\n", password)
	}
	return nil
}
