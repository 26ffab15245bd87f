// Package plan works out scenarios for a target from its published figures:
// "what if the monthly number grew by 2 % a month", "what if it were 9,000
// every month", "what if each category sent this many". Everything here is a
// pure function over plain values, like internal/progress.
package plan

import (
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
)

// Kind is how a scenario gives the months ahead their numbers; the strings
// are stable values of the API and of the page's address.
type Kind string

// The kinds of scenario.
const (
	Growth      Kind = "growth"   // the recent monthly number, compounded by a growth a month
	Fixed       Kind = "fixed"    // one number every month
	PerCategory Kind = "category" // a number a month for each category, added up
)

// Growth limits, in per cent a month: a decline of 100 % or more would make
// the numbers negative, and more than doubling every month is no plan.
const (
	MinGrowth = -100.0 // exclusive
	MaxGrowth = 100.0  // inclusive
)

// Tolerance is how close the growth Needed finds brings the window's end to
// the target: within a hundredth of a person, by bisection on the growth.
const Tolerance = 0.01

// Scenario is what a person chooses for the months after the latest figures.
type Scenario struct {
	Kind   Kind
	Growth float64 // Growth: a fraction a month, 0.02 for +2 %
	Fixed  int64   // Fixed: people a month
	// PerCategory: people a month of each category; the plan adds them up.
	PerCategory []int64
}

// Monthly is the people the scenario gives month k after the latest figures
// (k = 1 for the first month): the base grown k times by the growth, the
// fixed number, or the categories' numbers added up.
func (s Scenario) Monthly(base float64, k int) float64 {
	switch s.Kind {
	case Fixed:
		return float64(s.Fixed)
	case PerCategory:
		var sum int64
		for _, n := range s.PerCategory {
			sum += n
		}
		return float64(sum)
	}
	return base * math.Pow(1+s.Growth, float64(k))
}

// Start is where the published figures leave a target.
type Start struct {
	Target progress.Target
	// From is the latest month with figures (the progress result's AsOf),
	// or the month before the window when there are none yet.
	From month.Month
	// Achieved is the people counted up to From.
	Achieved int64
	// Base is the people a month the growth starts from: the run rate, the
	// mean of the latest months with figures (0 when there are none).
	Base float64
	// ReachedAt is the month the figures reached the target, month.Zero when
	// they have not.
	ReachedAt month.Month
}

// StartOf is where a progress result leaves a target.
func StartOf(t progress.Target, r progress.Result) Start {
	s := Start{Target: t, From: r.AsOf, Achieved: r.Achieved, Base: r.RunRate}
	if !r.HasData() {
		s.From, s.Achieved, s.Base = t.Start.Add(-1), 0, 0
	}
	if r.HasData() && r.Achieved >= t.Value {
		s.ReachedAt = r.ProjectedCompletion
	}
	return s
}

// Months is how many months of the window come after From.
func (s Start) Months() int { return max(0, s.Target.End.Sub(s.From)) }

// Result is a scenario worked out to the window's end.
type Result struct {
	// Path is the cumulative people at the end of every month From..End;
	// Path[0] is Achieved. It holds From alone when the window is over.
	Path []progress.CumPoint
	// Total is the cumulative people at the window's end, rounded.
	Total int64
	// Reached is the first month the cumulative reaches the target: before
	// or at From when the figures already reached it (Already), else a
	// month of the scenario; month.Zero when it does not by the window's end.
	Reached month.Month
	Already bool
	// Shortfall is the people still missing at the window's end (0 when reached).
	Shortfall int64
	// Need is the growth a month that would reach the target exactly at the
	// window's end, starting from Base (see Needed).
	Need Need
}

// NeedStatus says whether a growth can reach the target exactly at the end.
type NeedStatus string

// The answers of Needed; the strings are stable API values.
const (
	NeedFound   NeedStatus = "found"    // Growth reaches the target at the end, within Tolerance
	NeedReached NeedStatus = "reached"  // the figures already reached the target
	NeedOver    NeedStatus = "over"     // no month of the window is left
	NeedNoBase  NeedStatus = "no-base"  // no recent monthly number to grow (none or zero)
	NeedTooHigh NeedStatus = "too-high" // more than MaxGrowth a month would be needed
)

// Need is the growth needed to reach the target exactly at the window's end.
type Need struct {
	Status NeedStatus
	Growth float64 // a fraction a month, when Status is NeedFound
}

// Compute works a scenario out from where the figures leave the target.
func Compute(st Start, sc Scenario) Result {
	t := st.Target
	r := Result{Path: []progress.CumPoint{{Month: st.From, Value: float64(st.Achieved)}}}
	cum := float64(st.Achieved)
	if st.Achieved >= t.Value {
		r.Already, r.Reached = true, st.ReachedAt
		if r.Reached == month.Zero {
			r.Reached = st.From
		}
	}
	for k := 1; k <= st.Months(); k++ {
		cum += sc.Monthly(st.Base, k)
		m := st.From.Add(k)
		r.Path = append(r.Path, progress.CumPoint{Month: m, Value: cum})
		// A tiny allowance, so that 9,999.9999999 people from adding
		// fractions counts as the 10,000 it is.
		if r.Reached == month.Zero && cum >= float64(t.Value)-1e-6 {
			r.Reached = m
		}
	}
	r.Total = int64(math.Round(cum))
	if r.Reached == month.Zero {
		r.Shortfall = max(0, int64(math.Ceil(float64(t.Value)-cum-1e-6)))
	}
	r.Need = Needed(st)
	return r
}

// endTotal is the cumulative at the window's end with growth g from st.
func endTotal(st Start, g float64) float64 {
	cum := float64(st.Achieved)
	for k := 1; k <= st.Months(); k++ {
		cum += st.Base * math.Pow(1+g, float64(k))
	}
	return cum
}

// Needed finds the growth a month that brings the cumulative to the target
// exactly at the window's end, starting from Base: the end total rises with
// the growth, from Achieved at -100 % on, so bisection between -100 % and
// MaxGrowth finds it, stopping when the end total is within Tolerance people
// of the target (or the growths bracketing it differ by less than 1e-12). The growth may be negative (the
// target is reached even with fewer people each month).
func Needed(st Start) Need {
	switch {
	case st.Achieved >= st.Target.Value:
		return Need{Status: NeedReached}
	case st.Months() == 0:
		return Need{Status: NeedOver}
	case st.Base <= 0:
		return Need{Status: NeedNoBase}
	}
	goal := float64(st.Target.Value)
	lo, hi := MinGrowth/100, MaxGrowth/100
	if endTotal(st, hi) < goal {
		return Need{Status: NeedTooHigh}
	}
	for hi-lo > 1e-12 {
		mid := (lo + hi) / 2
		v := endTotal(st, mid)
		if math.Abs(v-goal) <= Tolerance {
			return Need{Status: NeedFound, Growth: mid}
		}
		if v < goal {
			lo = mid
		} else {
			hi = mid
		}
	}
	return Need{Status: NeedFound, Growth: (lo + hi) / 2}
}

// ParseGrowth reads a growth a month in per cent as a person writes it:
// "2", "+2.5", "-1", "2 %", in full-width digits too; "" is 0. It returns
// the growth as a fraction (0.02) or the message that says what is wrong.
func ParseGrowth(s string) (float64, i18n.Msg) {
	t := strings.TrimSpace(width.Fold.String(s))
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	if t == "" {
		return 0, i18n.Msg{}
	}
	v, err := strconv.ParseFloat(strings.TrimPrefix(t, "+"), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(t, "eExXpP_") {
		return 0, i18n.M("plan.error.growth_number", "value", shown(s))
	}
	if v <= MinGrowth || v > MaxGrowth {
		return 0, i18n.M("plan.error.growth_range", "value", shown(s), "min", int64(MinGrowth), "max", int64(MaxGrowth))
	}
	return v / 100, i18n.Msg{}
}

// shown is a value as a message quotes it: trimmed and cut short.
func shown(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 20 {
		s = string(r[:19]) + "…"
	}
	return s
}

// Field is one number of a scenario as a person wrote it, with the form
// field (and API parameter) it came from and what the person sees it called.
type Field struct {
	Name  string
	Label i18n.Msg
	Value string
}

// Read checks what a person wrote for a scenario of kind k: the growth for
// Growth, the number for Fixed, every category's number for PerCategory,
// each by the one count rule (figures.ParseCount, handed in as count so this
// package stays free of the database). Fields of other kinds are not read.
func Read(k Kind, growth, fixed Field, cats []Field, count func(string) (int64, i18n.Msg)) (Scenario, *apperr.ValidationError) {
	v := &apperr.ValidationError{}
	sc := Scenario{Kind: k}
	switch k {
	case Fixed:
		n, msg := count(fixed.Value)
		if !msg.IsZero() {
			v.AddMsg(fixed.Name, fixed.Label, msg)
		}
		sc.Fixed = n
	case PerCategory:
		for _, f := range cats {
			n, msg := count(f.Value)
			if !msg.IsZero() {
				v.AddMsg(f.Name, f.Label, msg)
			}
			sc.PerCategory = append(sc.PerCategory, n)
		}
	default:
		sc.Kind = Growth
		g, msg := ParseGrowth(growth.Value)
		if !msg.IsZero() {
			v.AddMsg(growth.Name, growth.Label, msg)
		}
		sc.Growth = g
	}
	if !v.Empty() {
		return Scenario{}, v
	}
	return sc, nil
}
