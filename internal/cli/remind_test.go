package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/bodies"
	"hrx/internal/db"
	"hrx/internal/users"
)

func TestRemindDryRun(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hrx.db")
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	us := users.NewStore(d)
	us.HashCost = 4
	add := func(email string, r users.Role) users.User {
		u, err := us.Create(ctx, audit.System("test"), users.NewUser{Email: email, Role: r, Password: "correct horse battery staple"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	admin, ed := add("admin@example.gov", users.Admin), add("ed@example.gov", users.Editor)
	if _, err := bodies.NewStore(d).Save(ctx, admin.Actor(), users.Admin, bodies.Input{NameEN: "Emigration desk", DueDay: "15",
		Cells: []string{"IN-JP/student"}, Members: []string{strconv.FormatInt(ed.ID, 10)}}); err != nil {
		t.Fatal(err)
	}
	d.Close()

	run := func(args ...string) string {
		var out, errOut bytes.Buffer
		if code := RunWith(ctx, Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}, append([]string{"remind", "--database", path}, args...)); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		return out.String()
	}
	out := run("--dry-run", "--date", "2025-11-16")
	for _, want := range []string{
		"Reminders for Sunday 16 November 2025 (India time): 2 people",
		"ed@example.gov (editor), in-app only: no mail server (HRX_SMTP_URL):",
		"  - Emigration desk, October 2025: 1 cell has no figure; it was due on 15 November 2025 [the day after the due day]",
		"admin@example.gov (admin), in-app only",
		"--dry-run: nothing was written or sent.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if out := run("--date", "2025-11-16"); !strings.Contains(out, "Reminded 2 people now; 0 had been reminded on that day already.") {
		t.Errorf("run:\n%s", out)
	}
	if out := run("--date", "2025-11-16"); !strings.Contains(out, "Reminded 0 people now; 2 had been reminded on that day already.") {
		t.Errorf("second run:\n%s", out)
	}
	if out := run("--dry-run", "--date", "2025-11-17"); !strings.Contains(out, ": 0 people") {
		t.Errorf("a day without reminders:\n%s", out)
	}
}
