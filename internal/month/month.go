// Package month is the calendar month used everywhere in HRX, written YYYY-MM.
package month

import (
	"fmt"
	"time"
)

// Month is a calendar month counted from year 0 (Year*12 + Month-1), so that
// arithmetic and comparison are plain integer operations.
type Month int

// Zero is the month before any real month; it marks "no month".
const Zero Month = 0

// New returns the month for a year and a month number 1–12.
func New(year, mon int) Month { return Month(year*12 + mon - 1) }

// Of returns the month that contains t.
func Of(t time.Time) Month { return New(t.Year(), int(t.Month())) }

// Parse reads a month written exactly as YYYY-MM.
func Parse(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return Zero, fmt.Errorf("%q is not a month; write YYYY-MM, for example 2025-09", s)
	}
	y, m := 0, 0
	for i, c := range s {
		if i == 4 {
			continue
		}
		if c < '0' || c > '9' {
			return Zero, fmt.Errorf("%q is not a month; write YYYY-MM, for example 2025-09", s)
		}
		if i < 4 {
			y = y*10 + int(c-'0')
		} else {
			m = m*10 + int(c-'0')
		}
	}
	if m < 1 || m > 12 {
		return Zero, fmt.Errorf("month %s does not exist; write YYYY-MM with a month from 01 to 12", s)
	}
	if y < 1900 {
		return Zero, fmt.Errorf("year %04d is out of range", y)
	}
	return New(y, m), nil
}

// MustParse is Parse for constants in code and tests; it panics on bad input.
func MustParse(s string) Month {
	m, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return m
}

// Year is the calendar year.
func (m Month) Year() int { return int(m) / 12 }

// Num is the month number, 1–12.
func (m Month) Num() int { return int(m)%12 + 1 }

// String writes the month as YYYY-MM.
func (m Month) String() string {
	if m == Zero {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year(), m.Num())
}

// Add returns the month n months later (earlier for negative n).
func (m Month) Add(n int) Month { return m + Month(n) }

// Sub returns how many months m is after o.
func (m Month) Sub(o Month) int { return int(m - o) }

// Time returns the first instant of the month in UTC.
func (m Month) Time() time.Time {
	return time.Date(m.Year(), time.Month(m.Num()), 1, 0, 0, 0, 0, time.UTC)
}

// Range lists every month from a to b inclusive; empty when b is before a.
func Range(a, b Month) []Month {
	if b < a {
		return nil
	}
	out := make([]Month, 0, b-a+1)
	for m := a; m <= b; m++ {
		out = append(out, m)
	}
	return out
}
