package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"hrx/internal/approval"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/settings"
	"hrx/internal/users"
	"hrx/migrations"
)

// run runs hrx with args against the database at dsn.
func run(t *testing.T, dsn, stdin string, tty bool, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, StdinIsTTY: tty,
		Getenv: func(k string) string {
			if k == "HRX_DATABASE_URL" {
				return dsn
			}
			return ""
		}}
	code := RunWith(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func open(t *testing.T, dsn string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestMigrate(t *testing.T) {
	dsn := dbtest.DSN(t)
	code, out, errOut := run(t, dsn, "", false, "migrate")
	files, err := fs.ReadDir(migrations.For(db.SQLite), ".")
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".sql") {
			want++
		}
	}
	if code != 0 || !strings.Contains(out, fmt.Sprintf("applied %d migrations", want)) {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	if code, out, _ = run(t, dsn, "", false, "migrate"); code != 0 || !strings.Contains(out, "applied 0 migrations") {
		t.Fatalf("second migrate: %d %q", code, out)
	}
}

func TestUserAdd(t *testing.T) {
	dsn := dbtest.DSN(t)
	code, out, errOut := run(t, dsn, "a long enough passphrase\n", false, "user", "add", "--email", "Editor@Example.gov.in", "--role", "editor", "--name", "A. Editor")
	if code != 0 || !strings.Contains(out, "created editor@example.gov.in with role editor") || strings.Contains(out, "password:") {
		t.Fatalf("user add from stdin: %d %q %q", code, out, errOut)
	}
	us := users.NewStore(open(t, dsn))
	if _, err := us.Authenticate(context.Background(), "editor@example.gov.in", "a long enough passphrase", ""); err != nil {
		t.Errorf("password from stdin does not work: %v", err)
	}
	// From a terminal a password is generated and printed once.
	code, out, _ = run(t, dsn, "", true, "user", "add", "--email", "admin@example.gov.in", "--role", "admin")
	if code != 0 || !strings.Contains(out, "password: ") {
		t.Fatalf("generated: %d %q", code, out)
	}
	pw := strings.Fields(out[strings.Index(out, "password: ")+len("password: "):])[0]
	if _, err := us.Authenticate(context.Background(), "admin@example.gov.in", pw, ""); err != nil {
		t.Errorf("generated password does not work: %v", err)
	}
	for _, tt := range []struct {
		args   []string
		stdin  string
		errHas string
	}{
		{[]string{"user", "add", "--email", "x@example.gov.in", "--role", "boss"}, "a long enough passphrase\n", "Choose a role"},
		{[]string{"user", "add", "--email", "editor@example.gov.in", "--role", "viewer"}, "a long enough passphrase\n", "already exists"},
		{[]string{"user", "add", "--email", "y@example.gov.in", "--role", "viewer"}, "short\n", "at least 10 characters"},
		{[]string{"user", "add", "--role", "viewer"}, "", "needs --email and --role"},
	} {
		code, _, errOut := run(t, dsn, tt.stdin, false, tt.args...)
		if code != 1 || !strings.Contains(errOut, tt.errHas) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, errOut, tt.errHas)
		}
	}
}

func TestDemoLoadsOnceAndAddsNewMonths(t *testing.T) {
	dsn := dbtest.DSN(t)
	run(t, dsn, "", false, "migrate")
	d := open(t, dsn)
	var out bytes.Buffer
	if err := loadDemo(context.Background(), d, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC), &out, demoOptions{publish: true}); err != nil {
		t.Fatal(err)
	}
	fs := figures.NewStore(d)
	sums, _ := fs.MonthSummaries(context.Background())
	if len(sums) != 21 || sums[0].Month != "2024-09" || sums[len(sums)-1].Month != "2026-05" {
		t.Fatalf("months %d: %v…", len(sums), sums[0])
	}
	before := sums[5]
	out.Reset()
	if err := loadDemo(context.Background(), d, time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), &out, demoOptions{publish: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "for 2 months") {
		t.Errorf("second load: %q", out.String())
	}
	sums, _ = fs.MonthSummaries(context.Background())
	if len(sums) != 23 || sums[5] != before {
		t.Errorf("after the later day: %d months; %v vs %v", len(sums), sums[5], before)
	}
	// Published in month order up to the latest two, the one before the
	// latest submitted, the latest open; the four-eyes rule is off.
	states, err := approval.NewStore(d, fs).States(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for m := month.MustParse("2024-09"); m <= month.MustParse("2026-07"); m++ {
		want := approval.Published
		switch m.String() {
		case "2026-06":
			want = approval.Submitted
		case "2026-07":
			want = approval.Open
		}
		if got := states[m].State; got != want && !(want == approval.Open && got == "") {
			t.Errorf("%s is %q, want %q", m, got, want)
		}
	}
	if v, _ := settings.NewStore(d).Load(context.Background(), nil); v.Bool(settings.FourEyes) {
		t.Error("the demonstration has the four-eyes rule on")
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := run(t, "", "", false, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("%d %q", code, errOut)
	}
	if code, out, _ := run(t, "", "", false, "version"); code != 0 || !strings.HasPrefix(out, "hrx ") {
		t.Errorf("version: %d %q", code, out)
	}
}
