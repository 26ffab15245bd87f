package db

import (
	"errors"
	"strings"
	"testing"
)

// TestSQLiteWithoutCgoIsExplained: a binary built without a C compiler
// cannot open SQLite; the error says so and what to do.
func TestSQLiteWithoutCgoIsExplained(t *testing.T) {
	stub := errors.New("Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub")
	msg := sqliteError("hrx.db", stub).Error()
	for _, want := range []string{"without a C compiler", "gcc", "go build ./cmd/hrx", "postgres://"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q does not say %q", msg, want)
		}
	}
	if msg := sqliteError("hrx.db", errors.New("unable to open database file")).Error(); !strings.Contains(msg, "opening SQLite hrx.db") {
		t.Errorf("other errors: %q", msg)
	}
}
