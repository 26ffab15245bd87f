package db_test

import (
	"context"
	"strings"
	"testing"

	"hrx/internal/db"
	"hrx/internal/db/dbtest"
)

func TestMigrateSeedsReferenceData(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	for table, want := range map[string]int64{"categories": 10, "sectors": 23, "regions": 83, "region_aliases": 6, "targets": 2} {
		var n int64
		if err := d.R.WithContext(ctx).Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s: %d rows, want %d", table, n, want)
		}
	}
	ok, err := d.SchemaCurrent(ctx)
	if err != nil || !ok {
		t.Fatalf("SchemaCurrent = %v, %v", ok, err)
	}
	// A second run applies nothing.
	n, err := d.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second Migrate = %d, %v", n, err)
	}
}

func TestSQLiteReadPoolIsReadOnly(t *testing.T) {
	d := dbtest.New(t)
	if d.Dialect != db.SQLite {
		t.Skip("SQLite only")
	}
	if err := d.R.Exec("UPDATE data_version SET version = 2").Error; err == nil {
		t.Fatal("read pool accepted a write")
	}
	if err := d.W.Exec("UPDATE data_version SET version = 2").Error; err != nil {
		t.Fatalf("write pool: %v", err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	d := dbtest.New(t)
	if err := d.W.Exec("INSERT INTO audit_log (at, actor, action, entity) VALUES (CURRENT_TIMESTAMP, 'test', 'create', 'figure')").Error; err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{"UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"} {
		err := d.W.Exec(stmt).Error
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
	var n int64
	d.R.Raw("SELECT COUNT(*) FROM audit_log WHERE actor = 'test'").Scan(&n)
	if n != 1 {
		t.Errorf("%d rows", n)
	}
}
