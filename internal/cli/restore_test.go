package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/imports"
)

// generatedCSV is rows figures with distinct keys, 5,170 a month, in the
// months counting back from August 2024 (before the demonstration data).
func generatedCSV(rows int) []byte {
	cats := []string{"engineer", "hsp", "ssw", "titp", "student", "researcher", "language_teacher", "short_term", "business", "other"}
	sectors := []string{"nursing_care", "construction", "it_software", "semiconductors", "agriculture", "food_service", "research", "education", "healthcare", "business_services", "other"}
	var b bytes.Buffer
	b.WriteString("month,direction,category,sector,origin,destination,count\n")
	for i := 0; i < rows; i++ {
		m := 2024*12 + 7 - i/5170
		fmt.Fprintf(&b, "%d-%02d,IN-JP,%s,%s,IN-KA,JP-%02d,%d\n", m/12, m%12+1, cats[i%10], sectors[(i/10)%11], 1+(i/110)%47, i%500+1)
	}
	return b.Bytes()
}

// snapshot is what a backup must keep: the published figures, every figure,
// the imports and the audit log, each in a fixed order.
type snapshot struct {
	Published []map[string]any
	Figures   int64
	Imports   int64
	Audit     []audit.Entry
}

func takeSnapshot(t *testing.T, d *db.DB) snapshot {
	t.Helper()
	var s snapshot
	if err := d.R.Raw("SELECT month, direction, category, sector, origin, destination, count, status, source, note FROM published_figures " +
		"ORDER BY month, direction, category, sector, origin, destination").Scan(&s.Published).Error; err != nil {
		t.Fatal(err)
	}
	d.R.Raw("SELECT COUNT(*) FROM figures").Scan(&s.Figures)
	d.R.Raw("SELECT COUNT(*) FROM imports").Scan(&s.Imports)
	if err := d.R.Order("id").Find(&s.Audit).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRestoreBackupTakenDuringImport: a backup taken while a large import is
// being staged restores to a database with every published figure as it was,
// the audit log whole (ids 1…n without a gap, each entry as written), and
// nothing of the import that had not committed. SQLite: hrx backup and hrx
// restore are SQLite's; PostgreSQL has pg_dump and pg_restore.
func TestRestoreBackupTakenDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 150,000 rows")
	}
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	if code, out, errOut := run(t, live, "", false, "demo"); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errOut)
	}
	d := open(t, live)
	ctx := context.Background()
	before := takeSnapshot(t, d)
	if len(before.Published) < 1000 || len(before.Audit) < 100 {
		t.Fatalf("the demonstration database has %d published figures and %d audit entries", len(before.Published), len(before.Audit))
	}

	const rows = 150_000
	csv := filepath.Join(dir, "large.csv")
	if err := os.WriteFile(csv, generatedCSV(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(csv)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	started := make(chan struct{})
	var once sync.Once
	var finished atomic.Bool
	var imported imports.Import
	var importErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer finished.Store(true)
		defer once.Do(func() { close(started) })
		imported, importErr = imports.NewStore(d).Stage(ctx, audit.System("test"), imports.Upload{Name: "large.csv", Body: f, Apply: true,
			Progress: func(p imports.Progress) {
				if p.Rows > 0 {
					once.Do(func() { close(started) })
				}
			}})
	}()
	<-started
	backup := filepath.Join(dir, "backups", "hrx.db")
	code, out, errOut := run(t, live, "", false, "backup", backup)
	inMiddle := !finished.Load()
	wg.Wait()
	if code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	if importErr != nil || imported.State != imports.Applied || imported.NewCount != rows {
		t.Fatalf("the import: %+v %v", imported, importErr)
	}
	if !inMiddle {
		t.Fatal("the import finished before the backup did; the test needs a larger file")
	}
	after := takeSnapshot(t, d)
	if after.Figures != before.Figures+rows || len(after.Audit) <= len(before.Audit) {
		t.Fatalf("the live database after the import: %d figures (was %d), %d audit entries (was %d)", after.Figures, before.Figures, len(after.Audit), len(before.Audit))
	}

	restored := filepath.Join(dir, "restored", "hrx.db")
	code, out, errOut = run(t, restored, "", false, "restore", backup)
	if code != 0 || !strings.Contains(out, "SQLite's integrity check passed") || !strings.Contains(out, "restored "+restored) {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	r := open(t, restored)
	got := takeSnapshot(t, r)
	if !reflect.DeepEqual(got.Published, before.Published) {
		t.Errorf("published figures: %d restored, %d before the backup, or different values", len(got.Published), len(before.Published))
	}
	if got.Figures != before.Figures || got.Imports != before.Imports {
		t.Errorf("restored %d figures and %d imports; before the import there were %d and %d (the import had not committed)", got.Figures, got.Imports, before.Figures, before.Imports)
	}
	// The audit log is append-only (triggers refuse updates and deletes) and
	// not chained by hashes: whole means ids 1…n without a gap, each entry
	// as the live database still has it.
	for i, e := range got.Audit {
		if e.ID != int64(i+1) {
			t.Fatalf("audit entry %d has id %d: a gap", i+1, e.ID)
		}
		if i >= len(after.Audit) || !reflect.DeepEqual(e, after.Audit[i]) {
			t.Fatalf("audit entry %d differs from the live database's:\n%+v", e.ID, e)
		}
	}
	if len(got.Audit) != len(before.Audit) {
		t.Errorf("%d audit entries restored; %d were written before the backup", len(got.Audit), len(before.Audit))
	}
	if code, out, errOut := run(t, restored, "", false, "migrate", "--check"); code != 0 || !strings.Contains(out, "current for this hrx") {
		t.Errorf("migrate --check on the restored database: %d %s %s", code, out, errOut)
	}
	// The restored database takes the same import again, whole.
	if code, out, errOut := run(t, restored, "", false, "import", csv); code != 0 || !strings.Contains(out, "150,000 rows: 150,000 new") {
		t.Errorf("import into the restored database: %d %s %s", code, out, errOut)
	}
}

// TestRestoreRefuses: hrx restore checks the backup before anything else and
// replaces a database only when that is safe or forced.
func TestRestoreRefuses(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	if code, out, errOut := run(t, live, "", false, "import", filepath.Join("..", "upload", "testdata", "2025-09.csv")); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	backup := filepath.Join(dir, "backup.db")
	if code, _, errOut := run(t, live, "", false, "backup", backup); code != 0 {
		t.Fatal(errOut)
	}

	// A database with data is not replaced without --force.
	code, _, errOut := run(t, live, "", false, "restore", backup)
	if code != 1 || !strings.Contains(errOut, "holds 0 users, 10 figures and 0 published months") || !strings.Contains(errOut, "--force") {
		t.Errorf("restore over data: %d %s", code, errOut)
	}
	// Nor one a server has open, even without data.
	empty := filepath.Join(dir, "empty.db")
	if code, _, errOut := run(t, empty, "", false, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	held := open(t, empty)
	if err := held.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, empty, "", false, "restore", backup)
	if code != 1 || !strings.Contains(errOut, "is in use") {
		t.Errorf("restore over a database in use: %d %s", code, errOut)
	}
	held.Close()
	// Closed, the empty database is replaced without --force.
	code, out, errOut := run(t, empty, "", false, "restore", backup)
	if code != 0 || !strings.Contains(out, "0 users, 10 figures and 0 published months") {
		t.Fatalf("restore over an empty database: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(empty + "-wal"); err == nil {
		t.Error("the restored database has a write-ahead log left beside it")
	}
	// --force replaces data.
	code, out, errOut = run(t, live, "", false, "restore", "--force", backup)
	if code != 0 || !strings.Contains(errOut, "--force: replacing") || !strings.Contains(out, "restored") {
		t.Errorf("restore --force: %d %s %s", code, out, errOut)
	}

	// What is not a backup is refused, and nothing is left behind.
	notSQLite := filepath.Join(dir, "notes.txt")
	os.WriteFile(notSQLite, []byte("month,direction\n"), 0o600)
	newer := filepath.Join(dir, "newer.db")
	if code, _, errOut := run(t, newer, "", false, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	nd := open(t, newer)
	if err := nd.W.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, TRUE)").Error; err != nil {
		t.Fatal(err)
	}
	nd.Close()
	foreign := filepath.Join(dir, "foreign.db")
	fd := open(t, foreign)
	fd.W.Exec("CREATE TABLE t (x INTEGER)")
	fd.Close()
	target := filepath.Join(dir, "new", "hrx.db")
	for _, c := range []struct{ backup, want string }{
		{filepath.Join(dir, "missing.db"), "cannot be read"},
		{notSQLite, "is not a SQLite database file"},
		{newer, "was written by a newer hrx: its schema is at version 99999"},
		{foreign, "not an HRX database"},
	} {
		code, _, errOut := run(t, target, "", false, "restore", c.backup)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("restore %s: %d %s; want %q", filepath.Base(c.backup), code, errOut, c.want)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "new", ".hrx.db.restore-*")); len(left) > 0 {
			t.Errorf("restore %s left %v", filepath.Base(c.backup), left)
		}
		if _, err := os.Stat(target); err == nil {
			t.Fatalf("restore %s made %s", filepath.Base(c.backup), target)
		}
	}
	if code, _, errOut := run(t, target, "", false, "restore"); code != 2 || !strings.Contains(errOut, "takes one BACKUP") {
		t.Errorf("restore without a file: %d %s", code, errOut)
	}
}

// TestRestoreMigratesAnOlderBackup: a backup from an older hrx is brought up
// to this one's schema, and hrx restore says so.
func TestRestoreMigratesAnOlderBackup(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	od := open(t, old)
	if err := od.MigrateTo(context.Background(), 20); err != nil {
		t.Fatal(err)
	}
	od.Close()
	if code, _, errOut := run(t, old, "", false, "migrate", "--check"); code != 1 || !strings.Contains(errOut, "schema version 20 is older than this hrx's") {
		t.Errorf("migrate --check on the old database: %d %s", code, errOut)
	}
	restored := filepath.Join(dir, "hrx.db")
	code, out, errOut := run(t, restored, "", false, "restore", old)
	if code != 0 || !strings.Contains(out, "the backup's schema was at version 20: applied") || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := run(t, restored, "", false, "migrate", "--check"); code != 0 || !strings.Contains(out, "current for this hrx") {
		t.Errorf("migrate --check: %d %s %s", code, out, errOut)
	}
}

// TestRestoreOnPostgres: hrx restore explains PostgreSQL's own tools (exit 2),
// and hrx migrate --check tells a current schema from an older one, on
// either database.
func TestRestoreOnPostgres(t *testing.T) {
	dsn := dbtest.DSN(t)
	if code, _, errOut := run(t, dsn, "", false, "migrate", "--check"); code != 1 || !strings.Contains(errOut, "no HRX schema") {
		t.Errorf("migrate --check before migrating: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, dsn, "", false, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	if code, out, errOut := run(t, dsn, "", false, "migrate", "--check"); code != 0 || !strings.Contains(out, "current for this hrx") {
		t.Errorf("migrate --check: %d %s %s", code, out, errOut)
	}
	if !strings.HasPrefix(dsn, "postgres") {
		return
	}
	code, out, errOut := run(t, dsn, "", false, "restore", "hrx.dump")
	if code != 2 || out != "" || !strings.Contains(errOut, "pg_restore") || !strings.Contains(errOut, "pg_dump -Fc") || !strings.Contains(errOut, "hrx migrate --check") {
		t.Errorf("restore on PostgreSQL: %d %q %s", code, out, errOut)
	}
}
