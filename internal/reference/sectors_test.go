package reference_test

import (
	"context"
	"encoding/csv"
	"os"
	"testing"

	"hrx/internal/db/dbtest"
	"hrx/internal/i18n"
	"hrx/internal/reference"
)

// TestSectorNamesMatchTheData: every sector of a migrated database has the
// names migrations/data/sectors.csv gives it, Hindi included, and Name gives
// each reader the name in their language.
func TestSectorNamesMatchTheData(t *testing.T) {
	f, err := os.Open("../../migrations/data/sectors.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{}
	for _, r := range recs[1:] {
		rec := map[string]string{}
		for i, h := range recs[0] {
			rec[h] = r[i]
		}
		if rec["name_hi"] == "" {
			t.Errorf("sectors.csv: %s has no Hindi name", rec["code"])
		}
		want[rec["code"]] = [3]string{rec["name_en"], rec["name_ja"], rec["name_hi"]}
	}
	secs, err := reference.NewStore(dbtest.New(t)).Sectors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != len(want) {
		t.Errorf("%d sectors in the database, %d in sectors.csv", len(secs), len(want))
	}
	for _, s := range secs {
		w, ok := want[s.Code]
		if !ok {
			t.Errorf("%s is not in sectors.csv", s.Code)
			continue
		}
		if got := [3]string{s.Name(i18n.EN), s.Name(i18n.JA), s.Name(i18n.HI)}; got != w {
			t.Errorf("%s: names %q, sectors.csv has %q", s.Code, got, w)
		}
	}
}
