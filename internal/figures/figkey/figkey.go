// Package figkey says what makes a figure's identity, for the SQL of packages
// that read the figures tables without importing figures: plausibility, which
// approval reads while publishing, which figures imports. figures.KeyColumns
// and figures.KeyJoin are these.
package figkey

import "strings"

// Columns are the columns that make a figure's identity, in key order.
const Columns = "month, direction, category, sector, origin, destination"

// Join is the SQL condition that rows a and b (table names or aliases) have
// the same figure key.
func Join(a, b string) string {
	var parts []string
	for _, c := range strings.Split(Columns, ", ") {
		parts = append(parts, a+"."+c+" = "+b+"."+c)
	}
	return strings.Join(parts, " AND ")
}
