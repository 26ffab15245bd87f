// Package dbtest gives each test a fresh, migrated database: SQLite in a temp
// dir, or its own PostgreSQL schema when HRX_TEST_POSTGRES_URL is set.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"hrx/internal/db"
)

// New returns a migrated database that is removed when the test ends.
func New(tb testing.TB) *db.DB {
	tb.Helper()
	ctx := context.Background()
	dsn := DSN(tb)
	d, err := db.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	return d
}

// DSN returns the address of a new, empty test database (not yet migrated).
func DSN(tb testing.TB) string {
	tb.Helper()
	pg := os.Getenv("HRX_TEST_POSTGRES_URL")
	if pg == "" {
		return filepath.Join(tb.TempDir(), "hrx-test.db")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := db.Open(context.Background(), pg)
	if err != nil {
		tb.Fatalf("HRX_TEST_POSTGRES_URL: %v", err)
	}
	if err := admin.W.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.W.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(pg)
	if err != nil {
		tb.Fatalf("HRX_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
