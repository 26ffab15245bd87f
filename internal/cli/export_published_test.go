package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"hrx/internal/db/dbtest"
)

// TestExportPublishedUploadsBack: what `hrx export --published` writes, the
// figures of published months as the public sees them, uploads back with
// every row unchanged and nothing refused, though every month in it is
// locked; as a merge and as a replace, in CSV and XLSX.
func TestExportPublishedUploadsBack(t *testing.T) {
	dsn := dbtest.DSN(t)
	if code, out, errOut := run(t, dsn, "", false, "import", filepath.Join("..", "upload", "testdata", "2025-09-shift_jis.csv")); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	if code, out, errOut := run(t, dsn, "", false, "month", "publish", "2025-09..2025-09", "--single-approver", "--comment", "official history"); code != 0 {
		t.Fatalf("publish: %s%s", out, errOut)
	}
	dir := t.TempDir()
	for _, name := range []string{"published.csv", "published.xlsx"} {
		path := filepath.Join(dir, name)
		if code, _, errOut := run(t, dsn, "", false, "export", "--published", "--out", path); code != 0 {
			t.Fatalf("export %s: %s", name, errOut)
		}
		for _, mode := range [][]string{nil, {"--replace"}} {
			args := append(append([]string{"import", "--dry-run"}, mode...), path)
			code, out, _ := run(t, dsn, "", false, args...)
			if code != 0 || !strings.Contains(out, "10 rows: 0 new, 0 changed, 10 unchanged") || !strings.Contains(out, "0 errors") {
				t.Errorf("%s %v uploaded back:\n%s", name, mode, out)
			}
		}
	}
}
