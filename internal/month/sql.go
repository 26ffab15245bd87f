package month

import (
	"database/sql/driver"
	"fmt"
)

// Value stores a month as its YYYY-MM text, so the columns stay text and
// sort as before; Zero is stored as NULL, which every month column refuses.
func (m Month) Value() (driver.Value, error) {
	if m == Zero {
		return nil, nil
	}
	return m.String(), nil
}

// Scan reads a month stored as YYYY-MM text; NULL and the empty text read as Zero.
func (m *Month) Scan(src any) error {
	var s string
	switch x := src.(type) {
	case nil:
		*m = Zero
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("cannot read a month from %T", src)
	}
	if s == "" {
		*m = Zero
		return nil
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// GormDataType tells GORM that a month is text, so a month that is a table's
// only primary key (month_states) is not taken for an auto-increment integer.
func (Month) GormDataType() string { return "string" }

// MarshalText writes the month as YYYY-MM (empty for Zero), so JSON shows
// "2025-09" wherever a month appears, as it did when months were strings.
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads YYYY-MM; the empty text reads as Zero.
func (m *Month) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = Zero
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
