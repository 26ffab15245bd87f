package figures_test

import (
	"context"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
)

// TestMonthVersion: a month's version moves when any of its figures changes
// (count, note, a new or removed row), not when nothing does, and not when
// another month changes.
func TestMonthVersion(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	fs := figures.NewStore(d)
	version := func(m string) string {
		t.Helper()
		g, err := fs.Grid(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		return g.Version
	}
	empty := version("2025-10")
	if empty == "" || version("2025-11") != empty {
		t.Fatalf("empty months: %q, %q", empty, version("2025-11"))
	}
	actor := audit.System("test")
	if err := fs.Insert(ctx, actor, []figures.Figure{{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 75, Status: figures.Final}}, "test"); err != nil {
		t.Fatal(err)
	}
	one := version("2025-10")
	if one == empty || version("2025-10") != one {
		t.Fatalf("after a figure: %q (empty %q), stable: %q", one, empty, version("2025-10"))
	}
	n := int64(75)
	if _, err := fs.SaveGrid(ctx, actor, "2025-10", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &n, Version: 1}}); err != nil {
		t.Fatal(err)
	}
	if version("2025-10") != one {
		t.Error("saving the same count moved the version")
	}
	n = 76
	if _, err := fs.SaveGrid(ctx, actor, "2025-10", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &n, Version: 1}}); err != nil {
		t.Fatal(err)
	}
	two := version("2025-10")
	if two == one {
		t.Error("a changed count kept the version")
	}
	if err := fs.Insert(ctx, actor, []figures.Figure{{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 1, Status: figures.Final}}, "test"); err != nil {
		t.Fatal(err)
	}
	if version("2025-10") != two {
		t.Error("another month's figure moved the version")
	}
	if err := fs.Insert(ctx, actor, []figures.Figure{{Month: "2025-10", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Count: 3, Status: figures.Final}}, "test"); err != nil {
		t.Fatal(err)
	}
	if version("2025-10") == two {
		t.Error("a new broken-down row kept the version")
	}
}
