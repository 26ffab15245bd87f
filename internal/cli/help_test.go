package cli

import (
	"bytes"
	"context"
	"flag"
	"io"
	"strings"
	"testing"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/users"
)

// runEnv runs hrx with args and the environment variables in vars.
func runEnv(vars map[string]string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return vars[k] }}
	code := RunWith(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

// TestHelp: every way of asking for help prints the full usage (synopsis,
// flags and an example) on standard output and exits 0.
func TestHelp(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string // in the output
	}{
		{[]string{"--help"}, []string{"Commands:", "Environment", "hrx import [--as EMAIL]", "--comment TEXT", "HRX_DEV", "HRX_LOG_FORMAT", "--force", "Example:"}},
		{[]string{"-h"}, []string{"Commands:", "hrx month reopen"}},
		{[]string{"help", "help"}, []string{"Commands:"}},
		{[]string{"help"}, []string{"Commands:", "--trusted-proxies LIST", "--session-max DURATION", "--query-timeout DURATION", "--publish"}},
		{[]string{"help", "serve"}, []string{"hrx serve [--addr ADDRESS]", "--demo", "not used", "Example:\n  hrx serve"}},
		{[]string{"help", "month"}, []string{"hrx month publish [--as EMAIL]", "hrx month reopen [--as EMAIL]", "--reason TEXT", "--confirm-flags REASON"}},
		{[]string{"help", "month", "reopen"}, []string{"hrx month reopen", "--reason TEXT", "Example:\n  hrx month reopen 2025-10"}},
		{[]string{"help", "demo"}, []string{"hrx demo [--database URL] [--date YYYY-MM-DD] [--force] [--publish]", "refuses a database", "Example:"}},
		{[]string{"import", "--help"}, []string{"hrx import [--as EMAIL]", "FILE", "--dry-run", "HRX_DATABASE_URL", "Example:\n  hrx import --dry-run"}},
		{[]string{"import", "2025-09.csv", "-h"}, []string{"hrx import"}},
		{[]string{"serve", "--help"}, []string{"hrx serve [--addr ADDRESS]"}},
		{[]string{"--demo", "--help"}, []string{"hrx serve [--addr ADDRESS]"}},
		{[]string{"month", "--help"}, []string{"hrx month publish", "hrx month reopen"}},
		{[]string{"month", "publish", "--help"}, []string{"hrx month publish", "--single-approver"}},
		{[]string{"user", "-help"}, []string{"hrx user add [--database URL] --email EMAIL [--name TEXT] --role ROLE"}},
		{[]string{"mail", "test", "--help"}, []string{"hrx mail test [--lang LANG] TO", "HRX_SMTP_URL"}},
		{[]string{"remind", "--help"}, []string{"--date YYYY-MM-DD", "HRX_REMIND_DAYS_BEFORE"}},
		{[]string{"version", "--help"}, []string{"hrx version"}},
	} {
		code, out, errOut := runEnv(nil, tt.args...)
		if code != 0 || errOut != "" {
			t.Errorf("hrx %s: exit %d, stderr %q", strings.Join(tt.args, " "), code, errOut)
		}
		for _, w := range append(tt.want, "Usage:", "Example:") {
			if !strings.Contains(out, w) {
				t.Errorf("hrx %s: no %q in\n%s", strings.Join(tt.args, " "), w, out)
			}
		}
	}
	// Each command's help names every flag it takes and has an example.
	for _, c := range commands {
		code, out, _ := runEnv(nil, append(strings.Fields(c.name), "--help")...)
		if code != 0 || !strings.Contains(out, "Example:\n") || !strings.Contains(out[strings.Index(out, "Example:"):], "hrx "+c.name) {
			t.Errorf("hrx %s --help: exit %d\n%s", c.name, code, out)
		}
		for _, f := range flagsOf(c) {
			if !strings.Contains(out, "--"+f.Name) {
				t.Errorf("hrx %s --help does not name --%s", c.name, f.Name)
			}
		}
	}
}

// TestUnknownCommandOrFlag: a command line hrx cannot read says what it
// could not, suggests the nearest, and exits 2.
func TestUnknownCommandOrFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serv"}, `unknown command "serv"; did you mean serve?`},
		{[]string{"improt", "x.csv"}, `unknown command "improt"; did you mean import?`},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"help", "exprot"}, `unknown command "exprot"; did you mean export?`},
		{[]string{"month", "publsh", "2025-09"}, `unknown command "hrx month publsh"; did you mean hrx month publish?`},
		{[]string{"month"}, "hrx month needs one of: publish, reopen"},
		{[]string{"import", "--dryrun", "x.csv"}, "unknown flag --dryrun; did you mean --dry-run?"},
		{[]string{"demo", "--forse"}, "unknown flag --forse; did you mean --force?"},
		{[]string{"--adr", ":9090"}, "hrx serve: unknown flag --adr; did you mean --addr?"},
		{[]string{"export", "--frm", "2025-09"}, "unknown flag --frm; did you mean --from?"},
		{[]string{"month", "reopen", "2025-09", "--comment", "x"}, "unknown flag --comment"},
		{[]string{"import", "--as"}, "flag needs an argument: --as"},
		{[]string{"serve", "--max-upload-mb", "lots"}, `invalid value "lots" for flag --max-upload-mb`},
	} {
		code, out, errOut := runEnv(nil, tt.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, "Run hrx help") {
			t.Errorf("hrx %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(tt.args, " "), code, out, errOut, tt.want)
		}
	}
}

func TestLogFormatIsTextOrJSON(t *testing.T) {
	dsn := dbtest.DSN(t)
	for _, args := range [][]string{{"migrate"}, {"serve"}, {"demo"}} {
		code, _, errOut := runEnv(map[string]string{"HRX_LOG_FORMAT": "xml", "HRX_DATABASE_URL": dsn}, args...)
		if code != 1 || !strings.Contains(errOut, `HRX_LOG_FORMAT must be text or json; got "xml"`) {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	for _, v := range []string{"json", "JSON", "text"} {
		if c, err := config.FromEnv(func(k string) string { return map[string]string{"HRX_LOG_FORMAT": v}[k] }); err != nil || c.LogFormat != strings.ToLower(v) {
			t.Errorf("%s: %q, %v", v, c.LogFormat, err)
		}
	}
}

// TestServeDemoSaysWhichDatabaseItLeavesAside: --demo with --database or
// HRX_DATABASE_URL names the database it does not use, password hidden.
func TestServeDemoSaysWhichDatabaseItLeavesAside(t *testing.T) {
	for _, tt := range []struct {
		env  string
		args []string
		want string
	}{
		{"", []string{"--demo"}, ""},
		{"", []string{"--database", "real.db"}, ""},
		{"", []string{"--demo", "--database", "real.db"}, "real.db"},
		{"postgres://hrx:secret@db/hrx", []string{"--demo"}, "postgres://hrx:xxxxx@db/hrx"},
	} {
		c, _ := config.FromEnv(func(k string) string {
			if k == "HRX_DATABASE_URL" {
				return tt.env
			}
			return ""
		})
		fs := flag.NewFlagSet("hrx serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.Flags(fs)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		if got := demoIgnores(c, fs, func(k string) string {
			if k == "HRX_DATABASE_URL" {
				return tt.env
			}
			return ""
		}); got != tt.want {
			t.Errorf("%q %v: %q, want %q", tt.env, tt.args, got, tt.want)
		}
	}
}

// TestDemoRefusesARealDatabase: hrx demo adds invented figures to a
// database with users or figures only with --force, and then publishes
// nothing unless --publish is given too.
func TestDemoRefusesARealDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.DSN(t)
	if code, out, errOut := run(t, dsn, "", false, "migrate"); code != 0 {
		t.Fatal(out, errOut)
	}
	d := open(t, dsn)
	fs := figures.NewStore(d)
	if _, err := users.NewStore(d).Create(ctx, audit.System("test"), users.NewUser{Email: "admin@example.gov.in", Role: users.Admin, Password: "a long enough passphrase"}); err != nil {
		t.Fatal(err)
	}
	if err := fs.Insert(ctx, audit.System("test"), []figures.Figure{
		{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 10},
		{Month: "2025-09", Direction: "JP-IN", Category: "student", Count: 4},
	}, "history"); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, dsn, "", false, "month", "publish", "2025-09", "--single-approver"); code != 0 {
		t.Fatal(out, errOut)
	}

	code, out, errOut := run(t, dsn, "", false, "demo")
	if code != 1 || !strings.Contains(errOut, "holds 1 user, 2 figures and 1 published month") || !strings.Contains(errOut, "--force") || !strings.Contains(errOut, "nothing was added") {
		t.Fatalf("demo on a real database: exit %d, %q %q", code, out, errOut)
	}
	if sums, _ := fs.MonthSummaries(ctx); len(sums) != 1 {
		t.Fatalf("refused, yet months: %v", sums)
	}
	if code, _, errOut := run(t, dsn, "", false, "demo", "--publish"); code != 1 || !strings.Contains(errOut, "holds 1 user") {
		t.Fatalf("--publish without --force: exit %d, %q", code, errOut)
	}

	// --force: the invented months are added and left open; no demo sign-ins.
	code, out, errOut = run(t, dsn, "", false, "demo", "--force")
	if code != 0 || !strings.Contains(out, "nothing was published") {
		t.Fatalf("--force: exit %d, %q %q", code, out, errOut)
	}
	sums, _ := fs.MonthSummaries(ctx)
	if len(sums) < 20 {
		t.Fatalf("--force added %d months", len(sums))
	}
	states, err := approval.NewStore(d, fs).States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for m, st := range states {
		if st.Public() != (m.String() == "2025-09") {
			t.Errorf("after --force, %s is %s", m, st.State)
		}
	}
	if n, _ := users.NewStore(d).Count(ctx); n != 1 {
		t.Errorf("--force added sign-ins: %d users", n)
	}

	// --force --publish on a database with a user only: published up to
	// the latest two, the four-eyes rule left on.
	dsn2 := dbtest.DSN(t)
	if code, out, errOut := run(t, dsn2, "a long enough passphrase\n", false, "user", "add", "--email", "a@example.gov.in", "--role", "admin"); code != 0 {
		t.Fatal(out, errOut)
	}
	code, out, errOut = run(t, dsn2, "", false, "demo", "--force", "--publish")
	if code != 0 || strings.Contains(out, "nothing was published") || strings.Contains(out, "four-eyes rule is off") {
		t.Fatalf("--force --publish: exit %d, %q %q", code, out, errOut)
	}
	d2 := open(t, dsn2)
	states, err = approval.NewStore(d2, figures.NewStore(d2)).States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	published := 0
	for _, st := range states {
		if st.Public() {
			published++
		}
	}
	sums, _ = figures.NewStore(d2).MonthSummaries(ctx)
	if published != len(sums)-2 {
		t.Errorf("--force --publish published %d of %d months", published, len(sums))
	}

	// An empty database takes the demonstration as before: published.
	dsn3 := dbtest.DSN(t)
	if code, out, errOut := run(t, dsn3, "", false, "demo"); code != 0 || !strings.Contains(out, "four-eyes rule is off") {
		t.Fatalf("demo on an empty database: exit %d, %q %q", code, out, errOut)
	}
}
