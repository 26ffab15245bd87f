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

var userAddCommand = &command{
	name:     "user add",
	required: []string{"email", "role"},
	summary:  "create a user (password from standard input, or generated)",
	about: "Creates an account with a role: viewer, editor, approver or admin. The password is read from standard input; " +
		"run from a terminal, a strong one is generated and printed once (they can change it at /account).",
	examples: []string{
		`echo 'a long passphrase here' | hrx user add --email editor@example.gov.in --role editor --name "A. Editor"`,
		"hrx user add --email admin@example.gov.in --role admin   # from a terminal: prints a generated password once",
	},
	env: dbEnv,
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		email := fs.String("email", "", "the user's e-mail address (`EMAIL`)")
		role := fs.String("role", "", "viewer, editor, approver or admin (`ROLE`)")
		name := fs.String("name", "", "the user's name, optional (`TEXT`)")
		dbURL := databaseFlag(fs)
		return func(ctx context.Context, pos []string) error {
			if len(pos) > 0 {
				return fmt.Errorf("unexpected argument %q", pos[0])
			}
			return user(ctx, env, email, role, name, dbURL)
		}
	},
}

func user(ctx context.Context, env Env, email, role, name, dbURL *string) error {
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
