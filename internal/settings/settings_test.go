package settings_test

import (
	"context"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db/dbtest"
	"hrx/internal/settings"
)

func TestSettings(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	st := settings.NewStore(d)
	v, err := st.Load(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Bool(settings.FourEyes) || v.Number(settings.FlagRatio) != 3 || v.Number(settings.FlagFloor) != 20 {
		t.Fatalf("defaults: four eyes %v, ratio %v, floor %v", v.Bool(settings.FourEyes), v.Number(settings.FlagRatio), v.Number(settings.FlagFloor))
	}
	admin := audit.System("admin@example.gov.in")
	// A form without the box ticked turns the rule off; numbers change.
	if err := st.Set(ctx, admin, map[string]string{"flag_ratio": "2.5", "flag_floor": "50"}); err != nil {
		t.Fatal(err)
	}
	v, _ = st.Load(ctx, nil)
	if v.Bool(settings.FourEyes) || v.Number(settings.FlagRatio) != 2.5 || v.Number(settings.FlagFloor) != 50 || v.Number(settings.FlagTotalJump) != 50 {
		t.Errorf("after saving: %v", v)
	}
	// Out of range, or not a number: nothing changes, every field says why.
	err = st.Set(ctx, admin, map[string]string{"four_eyes": "on", "flag_ratio": "0.5", "flag_floor": "many"})
	var ve *apperr.ValidationError
	if !errorsAs(err, &ve) || len(ve.Fields) != 2 {
		t.Fatalf("bad values: %v", err)
	}
	if v2, _ := st.Load(ctx, nil); v2.Bool(settings.FourEyes) {
		t.Errorf("a refused form changed the four-eyes rule")
	}
	if err := st.Set(ctx, admin, map[string]string{"no_such": "1"}); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("an unknown setting: %v", err)
	}
	var n int64
	d.R.Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'setting'").Scan(&n)
	if n != 3 {
		t.Errorf("%d audit entries for settings, want 3 (four eyes, ratio, floor)", n)
	}
}

func errorsAs(err error, ve **apperr.ValidationError) bool {
	v, ok := err.(*apperr.ValidationError)
	*ve = v
	return ok
}

// TestWholeNumbers: settings that count people or months refuse fractions,
// saying so.
func TestWholeNumbers(t *testing.T) {
	ctx := context.Background()
	st := settings.NewStore(dbtest.New(t))
	err := st.Set(ctx, audit.System("admin@example.gov.in"), map[string]string{"flag_history": "2.5", "flag_floor": "20", "flag_ratio": "2.5"})
	var ve *apperr.ValidationError
	if !errorsAs(err, &ve) || len(ve.Fields) != 1 {
		t.Fatalf("2.5 months: %v", err)
	}
	if got := ve.For("flag_history").String(); got != "Enter a whole number from 1 to 36" {
		t.Errorf("says %q", got)
	}
	if err := st.Set(ctx, audit.System("admin@example.gov.in"), map[string]string{"flag_history": "12", "flag_floor": "0"}); err != nil {
		t.Errorf("whole numbers: %v", err)
	}
}
