package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"hrx/internal/db/dbtest"
)

func TestImportCommand(t *testing.T) {
	dsn := dbtest.DSN(t)
	good := filepath.Join("..", "upload", "testdata", "2025-09.csv")
	bad := filepath.Join("..", "upload", "testdata", "2025-09-errors.csv")

	code, out, errOut := run(t, dsn, "", false, "import", "--dry-run", good)
	if code != 0 || !strings.Contains(out, "10 rows: 10 new, 0 changed, 0 unchanged; 0 errors") || !strings.Contains(out, "Dry run: nothing was applied.") {
		t.Fatalf("dry run: %d\n%s%s", code, out, errOut)
	}
	// Flags may follow the file.
	code, out, _ = run(t, dsn, "", false, "import", good, "--json")
	var sum map[string]any
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 0 || sum["new"] != 10.0 || sum["applied"] != true {
		t.Fatalf("--json: %d %v %v\n%s", code, sum, err, out)
	}
	code, out, _ = run(t, dsn, "", false, "import", good)
	if code != 0 || !strings.Contains(out, "0 new, 0 changed, 10 unchanged") {
		t.Errorf("again: %d\n%s", code, out)
	}
	code, out, _ = run(t, dsn, "", false, "import", bad)
	if code != 1 || !strings.Contains(out, "error: line 3, column month (value \"2025-13\"): month 2025-13 does not exist") || !strings.Contains(out, "Rejected: nothing was applied") {
		t.Errorf("errors: %d\n%s", code, out)
	}
	code, out, _ = run(t, dsn, "", false, "import", "--json", bad)
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 1 || len(sum["errors"].([]any)) != 4 {
		t.Errorf("--json errors: %d %v", code, err)
	}
	if code, _, errOut := run(t, dsn, "", false, "import", "--as", "nobody@example.gov.in", good); code != 1 || !strings.Contains(errOut, "no such user") {
		t.Errorf("--as unknown: %d %s", code, errOut)
	}
}

func TestExportCommandRoundTrip(t *testing.T) {
	dsn := dbtest.DSN(t)
	run(t, dsn, "", false, "import", filepath.Join("..", "upload", "testdata", "2025-09-shift_jis.csv"))
	dir := t.TempDir()
	for _, name := range []string{"out.csv", "out.xlsx"} {
		path := filepath.Join(dir, name)
		if code, _, errOut := run(t, dsn, "", false, "export", "--out", path, "--from", "2025-09", "--to", "2025-09"); code != 0 {
			t.Fatalf("export %s: %s", name, errOut)
		}
		code, out, _ := run(t, dsn, "", false, "import", "--dry-run", path)
		if code != 0 || !strings.Contains(out, "10 rows: 0 new, 0 changed, 10 unchanged") {
			t.Errorf("%s re-imported:\n%s", name, out)
		}
	}
	code, out, _ := run(t, dsn, "", false, "export")
	if code != 0 || !strings.HasPrefix(out, "\uFEFFmonth,direction,category,count") || !strings.Contains(out, "出入国在留管理庁") {
		t.Errorf("export to stdout: %d\n%s", code, out)
	}
	if code, _, errOut := run(t, dsn, "", false, "export", "--from", "2025-13"); code != 1 || !strings.Contains(errOut, "--from") {
		t.Errorf("bad --from: %d %s", code, errOut)
	}
}

func TestTokenCommand(t *testing.T) {
	dsn := dbtest.DSN(t)
	run(t, dsn, "a long enough passphrase\n", false, "user", "add", "--email", "ed@example.gov.in", "--role", "editor")
	code, out, errOut := run(t, dsn, "", false, "token", "add", "--email", "ed@example.gov.in", "--name", "nightly upload")
	if code != 0 || !strings.Contains(out, "\nhrx_") {
		t.Fatalf("token add: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := run(t, dsn, "", false, "token", "add", "--email", "nobody@example.gov.in"); code != 1 || !strings.Contains(errOut, "no such user") {
		t.Errorf("unknown user: %d %s", code, errOut)
	}
}

func TestBackupCommand(t *testing.T) {
	dsn := dbtest.DSN(t)
	run(t, dsn, "", false, "import", filepath.Join("..", "upload", "testdata", "2025-09.csv"))
	out := filepath.Join(t.TempDir(), "copy.db")
	code, stdout, errOut := run(t, dsn, "", false, "backup", out)
	if strings.HasPrefix(dsn, "postgres") {
		if code != 1 || !strings.Contains(errOut, "pg_dump") {
			t.Errorf("PostgreSQL backup: %d %s", code, errOut)
		}
		return
	}
	if code != 0 || !strings.Contains(stdout, "a consistent copy") {
		t.Fatalf("backup: %d %s %s", code, stdout, errOut)
	}
	// The copy is a working database with the same figures.
	code, stdout, _ = run(t, out, "", false, "import", "--dry-run", filepath.Join("..", "upload", "testdata", "2025-09.csv"))
	if code != 0 || !strings.Contains(stdout, "0 new, 0 changed, 10 unchanged") {
		t.Errorf("the copy: %d %s", code, stdout)
	}
	if code, _, errOut := run(t, dsn, "", false, "backup", out); code != 1 || !strings.Contains(errOut, "exists already") {
		t.Errorf("overwrite: %d %s", code, errOut)
	}
	// A folder that does not exist yet is made.
	nested := filepath.Join(t.TempDir(), "backups", "2026-12-01", "hrx.db")
	if code, stdout, errOut := run(t, dsn, "", false, "backup", nested); code != 0 || !strings.Contains(stdout, "made the folder") || !strings.Contains(stdout, "a consistent copy") {
		t.Errorf("backup into a new folder: %d %s %s", code, stdout, errOut)
	}
}
