package db_test

import (
	"context"
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
