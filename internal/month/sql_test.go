package month

import (
	"encoding/json"
	"testing"
)

func TestValue(t *testing.T) {
	for _, tt := range []struct {
		m    Month
		want any
	}{
		{New(2025, 9), "2025-09"},
		{New(1900, 1), "1900-01"},
		{New(2030, 12), "2030-12"},
		{Zero, nil}, // NULL: the month columns are NOT NULL, so a missing month is refused, not stored
	} {
		got, err := tt.m.Value()
		if err != nil || got != tt.want {
			t.Errorf("%d.Value() = %#v, %v; want %#v", int(tt.m), got, err, tt.want)
		}
	}
}

func TestScan(t *testing.T) {
	for _, tt := range []struct {
		src  any
		want Month
		bad  bool
	}{
		{src: "2025-09", want: New(2025, 9)},
		{src: []byte("2030-08"), want: New(2030, 8)},
		{src: nil, want: Zero},
		{src: "", want: Zero},
		{src: []byte{}, want: Zero},
		{src: "2025-13", bad: true},
		{src: "2025-9", bad: true},
		{src: "25-09", bad: true},
		{src: "2025/09", bad: true},
		{src: " 2025-09", bad: true},
		{src: int64(24308), bad: true},
	} {
		m := New(1999, 1) // Scan must overwrite what was there
		err := m.Scan(tt.src)
		switch {
		case tt.bad && err == nil:
			t.Errorf("Scan(%#v) = %s, want an error", tt.src, m)
		case !tt.bad && (err != nil || m != tt.want):
			t.Errorf("Scan(%#v) = %s, %v; want %s", tt.src, m, err, tt.want)
		}
	}
}

// TestJSON: a month reads and writes as "YYYY-MM" in JSON, as the strings it
// replaced did; Zero is "".
func TestJSON(t *testing.T) {
	type row struct {
		Month Month
		Ms    []Month
	}
	in := row{Month: New(2025, 9), Ms: []Month{New(2026, 1), Zero}}
	b, err := json.Marshal(in)
	if want := `{"Month":"2025-09","Ms":["2026-01",""]}`; err != nil || string(b) != want {
		t.Fatalf("Marshal = %s, %v; want %s", b, err, want)
	}
	var out row
	if err := json.Unmarshal(b, &out); err != nil || out.Month != in.Month || len(out.Ms) != 2 || out.Ms[0] != in.Ms[0] || out.Ms[1] != Zero {
		t.Errorf("Unmarshal(%s) = %+v, %v", b, out, err)
	}
	if err := json.Unmarshal([]byte(`{"Month":"2025-13"}`), &out); err == nil {
		t.Error("Unmarshal of 2025-13 gave no error")
	}
}
