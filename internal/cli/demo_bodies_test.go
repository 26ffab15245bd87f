package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"hrx/internal/bodies"
	"hrx/internal/completeness"
	"hrx/internal/db/dbtest"
	"hrx/internal/month"
)

// TestDemoBodies: the demonstration has three reporting bodies with their
// members, cells left to the administrators, and a history of figures that
// mostly came on time.
func TestDemoBodies(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.DSN(t)
	run(t, dsn, "", false, "migrate")
	d := open(t, dsn)
	var out bytes.Buffer
	today := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	if err := loadDemo(ctx, d, today, &out, demoOptions{publish: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "3 reporting bodies") {
		t.Errorf("output: %q", out.String())
	}
	a, err := bodies.NewStore(d).Assign(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Bodies) != 3 || len(a.Unowned) != 3 {
		t.Fatalf("bodies %d, cells with no body %v", len(a.Bodies), a.Unowned)
	}
	for _, b := range a.Bodies {
		if len(b.Members) != 2 {
			t.Errorf("%s: members %+v", b.NameEN, b.Members)
		}
	}
	r, err := completeness.NewStore(d).Load(ctx, month.MustParse("2025-01"), month.MustParse("2026-04"), today)
	if err != nil {
		t.Fatal(err)
	}
	if p := r.Total.Percent(); p < 80 || p >= 100 || r.Total.Of(completeness.Late) == 0 {
		t.Errorf("the demonstration's reporting rate: %v%%, %+v", p, r.Total)
	}
	// Loading again on a later day adds no second set of bodies.
	if err := loadDemo(ctx, d, today.AddDate(0, 1, 0), &out, demoOptions{publish: true}); err != nil {
		t.Fatal(err)
	}
	if list, _ := bodies.NewStore(d).List(ctx); len(list) != 3 {
		t.Errorf("%d bodies after a second load", len(list))
	}
}
