package targets

import (
	"database/sql/driver"
	"fmt"
	"strings"
)

// Codes is a short list of direction or category codes. The database keeps it
// as one comma-separated text column; it is split once, when the row is read,
// not on every question asked of it.
type Codes []string

// ParseCodes splits comma-separated codes, dropping blanks; nil when there are none.
func ParseCodes(s string) Codes {
	var out Codes
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Has reports whether code is in the list. The lists hold a handful of codes,
// so a scan is quicker than a map.
func (c Codes) Has(code string) bool {
	for _, x := range c {
		if x == code {
			return true
		}
	}
	return false
}

// String is the codes as the column holds them: "student,researcher".
func (c Codes) String() string { return strings.Join(c, ",") }

// Value stores the codes comma-separated; none is the empty text.
func (c Codes) Value() (driver.Value, error) { return c.String(), nil }

// Scan reads comma-separated codes.
func (c *Codes) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		*c = nil
	case string:
		*c = ParseCodes(x)
	case []byte:
		*c = ParseCodes(string(x))
	default:
		return fmt.Errorf("cannot read codes from %T", src)
	}
	return nil
}

// Filter is which people count toward a target: the columns directions,
// categories and skilled_only, read once with the target.
type Filter struct {
	Directions  Codes // direction codes; empty for both
	Categories  Codes // category codes; empty for all (or all skilled)
	SkilledOnly bool
}

// IncludesDirection reports whether people moving in a direction can count toward the target.
func (f Filter) IncludesDirection(direction string) bool {
	return len(f.Directions) == 0 || f.Directions.Has(direction)
}

// Counts reports whether people of a direction and category count toward the target.
func (f Filter) Counts(direction, category string, skilled bool) bool {
	if !f.IncludesDirection(direction) {
		return false
	}
	if len(f.Categories) > 0 && !f.Categories.Has(category) {
		return false
	}
	return !f.SkilledOnly || skilled
}
