// Package demo generates the demonstration figures that fill an HRX database so
// that the dashboard looks realistic before real uploads arrive.
//
// The figures are invented but follow the magnitudes in shared/data/README.md:
// India→Japan flows start near 1,800 people a month in late 2024 and grow by
// about 1.6 % a month at first, levelling off towards 2,600 (April and October
// intakes higher). About 30 % of them are skilled (engineers, highly skilled
// professionals, SSW workers, technical interns), rising slowly as SSW grows:
// roughly 500 a month in late 2024 and 700–800 by late 2026, so the skilled
// target of about 830 a month is missed at first and the plan period ends
// short of 50,000. Short-term exchange visits are the largest India→Japan
// category; student arrivals stay at 150–350 a month (peaks in April and
// October), in line with the 1,600 Indian students in Japan. Japan→India
// flows are 500–700 a month, mostly business transferees, short-term
// exchanges, students and language teachers. Altogether the flows stay far below the roughly 8,300 people a
// month that the 500,000 target needs, so the dashboard honestly shows the
// plan behind schedule.
//
// Every value is derived from a hash of its month, direction, category and
// breakdown, so the figures for a month never depend on the day they are
// generated; a later day only adds later months (and turns the previous
// "provisional" months "final").
package demo

import (
	"hash/fnv"
	"math"
	"time"

	"hrx/internal/month"
	"hrx/internal/reference"
)

// Row is one demonstration figure in the upload format.
type Row struct {
	Month       month.Month
	Direction   string // "IN-JP" or "JP-IN"
	Category    string // category code from categories.csv
	Sector      string // "" = not broken down; sector code from sectors.csv
	Origin      string // "" = not broken down; ISO 3166-2 region of the origin country
	Destination string // "" = not broken down; ISO 3166-2 region of the destination country
	Count       int64
	Status      string // "final" or "provisional"
	Source      string
	Note        string
}

// Statuses of a figure.
const (
	Final       = "final"
	Provisional = "provisional"
)

// Directions lists both directions in the order Generate emits them.
var Directions = []string{reference.IndiaToJapan, reference.JapanToIndia}

// Categories lists the ten category codes in the order of categories.csv.
var Categories = []string{
	"engineer", "hsp", "ssw", "titp", "student",
	"researcher", "language_teacher", "short_term", "business", "other",
}

// Skilled lists the categories that count toward the skilled-personnel target
// by default (skilled=true in categories.csv).
var Skilled = []string{"engineer", "hsp", "ssw", "titp"}

// First is the first month of demonstration data, one year before the Action
// Plan starts.
var First = month.New(2024, 9)

// ProvisionalMonths is how many of the latest months are provisional.
const ProvisionalMonths = 2

// part is one row of a breakdown with its relative weight. A part with empty
// sector, origin and destination is the plain remainder row.
type part struct {
	sector, origin, dest string
	weight               float64
}

// flow describes one (direction, category) pair.
type flow struct {
	share  float64 // share of the direction's monthly base
	growth float64 // extra growth of the share per month since First
	most   float64 // cap on the share's growth factor
	season [12]float64
	source string
	parts  []part // nil: one plain row
}

// Seasonal profiles, January to December.
var (
	flat = [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	// April and October intakes dominate student arrivals in Japan.
	studentIntake = [12]float64{1.05, 0.8, 0.9, 1.8, 0.8, 0.8, 0.9, 0.8, 0.95, 1.6, 0.8, 0.8}
	// Technical interns and SSW workers cluster around the same intakes, less sharply.
	workIntake = [12]float64{0.95, 0.95, 1.0, 1.2, 1.0, 0.95, 0.95, 0.9, 0.95, 1.15, 1.0, 0.9}
	// Engineers: April hiring season, quiet around New Year and Obon.
	hiring = [12]float64{0.92, 1.0, 1.05, 1.12, 1.0, 0.98, 1.0, 0.92, 1.0, 1.08, 1.0, 0.92}
	// Short visits peak in summer and winter programmes.
	shortVisits = [12]float64{1.05, 1.1, 1.0, 0.85, 0.9, 0.95, 1.2, 1.25, 1.0, 0.95, 1.0, 0.85}
	// Indian academic year starts in July/August; Japanese students go then or in spring.
	indiaTerm = [12]float64{1.1, 0.9, 0.85, 0.85, 0.85, 0.9, 1.3, 1.35, 1.05, 0.9, 0.95, 0.85}
	// Business postings follow the April fiscal year in Japan.
	postings = [12]float64{0.95, 0.95, 1.05, 1.25, 1.0, 0.95, 1.0, 0.88, 0.95, 1.08, 0.95, 0.88}
)

var flows = map[string]map[string]flow{
	reference.IndiaToJapan: {
		"engineer": {share: 0.18, season: hiring, source: "ISA Japan", parts: []part{
			{"it_software", "IN-KA", "JP-13", 0.22},
			{"it_software", "IN-KA", "JP-14", 0.06},
			{"it_software", "IN-MH", "JP-13", 0.10},
			{"it_software", "IN-MH", "JP-14", 0.06},
			{"it_software", "IN-TN", "JP-27", 0.06},
			{"it_software", "IN-TN", "JP-13", 0.05},
			{"it_software", "IN-TS", "JP-13", 0.08},
			{"it_software", "IN-TS", "JP-23", 0.03},
			{"semiconductors", "IN-KA", "JP-43", 0.03},
			{"semiconductors", "IN-TN", "JP-23", 0.04},
			{"semiconductors", "IN-TS", "JP-14", 0.02},
			{"", "", "", 0.25},
		}},
		"hsp": {share: 0.025, season: hiring, source: "ISA Japan", parts: []part{
			{"it_software", "", "", 0.55},
			{"semiconductors", "", "", 0.15},
			{"research", "", "", 0.15},
			{"business_services", "", "", 0.15},
		}},
		"ssw": {share: 0.05, growth: 0.015, most: 1.6, season: workIntake, source: "MEA India", parts: []part{
			{"nursing_care", "IN-KL", "", 0.24},
			{"nursing_care", "IN-TN", "", 0.09},
			{"construction", "IN-TN", "", 0.11},
			{"construction", "IN-PB", "", 0.06},
			{"food_service", "IN-MH", "", 0.08},
			{"food_service", "IN-KL", "", 0.05},
			{"agriculture", "IN-PB", "", 0.07},
			{"industrial_manufacturing", "IN-TN", "", 0.08},
			{"automobile_maintenance", "IN-KA", "", 0.04},
			{"accommodation", "IN-GA", "", 0.04},
			{"building_cleaning", "IN-UP", "", 0.03},
			{"", "", "", 0.11},
		}},
		"titp": {share: 0.035, season: workIntake, source: "MSDE / NSDC", parts: []part{
			{"industrial_manufacturing", "", "", 0.35},
			{"construction", "", "", 0.20},
			{"agriculture", "", "", 0.15},
			{"food_manufacturing", "", "", 0.15},
			{"", "", "", 0.15},
		}},
		"student":          {share: 0.09, season: studentIntake, source: "JASSO"},
		"researcher":       {share: 0.02, season: workIntake, source: "MOFA Japan", parts: []part{{"research", "", "", 0.85}, {"healthcare", "", "", 0.05}, {"", "", "", 0.10}}},
		"language_teacher": {share: 0.01, season: workIntake, source: "MOFA Japan"},
		"short_term":       {share: 0.395, season: shortVisits, source: "MOFA Japan"},
		"business":         {share: 0.15, season: postings, source: "ISA Japan", parts: []part{{"it_software", "", "", 0.30}, {"business_services", "", "", 0.40}, {"", "", "", 0.30}}},
		"other":            {share: 0.045, season: flat, source: "ISA Japan"},
	},
	reference.JapanToIndia: {
		"engineer": {share: 0.06, season: postings, source: "MEA India", parts: []part{
			{"it_software", "JP-13", "IN-KA", 0.30},
			{"semiconductors", "JP-13", "IN-GJ", 0.20},
			{"", "", "", 0.50},
		}},
		"hsp":        {share: 0.01, season: flat, source: "MEA India"},
		"ssw":        {share: 0.005, season: flat, source: "MEA India"},
		"titp":       {share: 0.005, season: flat, source: "MEA India"},
		"student":    {share: 0.10, season: indiaTerm, source: "MEA India"},
		"researcher": {share: 0.04, season: indiaTerm, source: "MOFA Japan", parts: []part{{"research", "", "", 0.80}, {"", "", "", 0.20}}},
		"language_teacher": {share: 0.06, season: postings, source: "MOFA Japan", parts: []part{
			{"education", "", "IN-DL", 0.35},
			{"education", "", "IN-TN", 0.20},
			{"education", "", "IN-MH", 0.20},
			{"education", "", "IN-KA", 0.10},
			{"", "", "", 0.15},
		}},
		"short_term": {share: 0.22, season: shortVisits, source: "MOFA Japan"},
		"business": {share: 0.42, season: postings, source: "MOFA Japan", parts: []part{
			{"business_services", "", "IN-HR", 0.20},
			{"business_services", "", "IN-KA", 0.12},
			{"business_services", "", "IN-MH", 0.15},
			{"business_services", "", "IN-DL", 0.10},
			{"business_services", "", "IN-TN", 0.08},
			{"business_services", "", "IN-GJ", 0.05},
			{"", "", "", 0.30},
		}},
		"other": {share: 0.08, season: flat, source: "MEA India"},
	},
}

// base is the expected number of people a month in a direction before
// seasonality and noise: a logistic curve that starts at start in First,
// grows by about rate a month at first and levels off at limit.
func base(dir string, m month.Month) float64 {
	start, limit, rate := 1800.0, 2600.0, 0.016
	if dir == reference.JapanToIndia {
		start, limit, rate = 540.0, 720.0, 0.009
	}
	c := limit/start - 1
	k := rate * (1 + c) / c
	n := float64(m.Sub(First))
	return limit / (1 + c*math.Exp(-k*n))
}

// unit returns a number in [0, 1) derived only from the given strings.
func unit(keys ...string) float64 {
	h := fnv.New64a()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
	}
	x := h.Sum64()
	// splitmix64 finaliser spreads FNV's low-entropy high bits.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// jitter returns a factor in [1-spread, 1+spread).
func jitter(spread float64, keys ...string) float64 {
	return 1 + spread*(2*unit(keys...)-1)
}

// categoryCount is the number of people in one (month, direction, category).
func categoryCount(m month.Month, dir, cat string) int64 {
	f := flows[dir][cat]
	ms := m.String()
	exp := base(dir, m) * f.share * f.season[m.Num()-1]
	if f.growth > 0 {
		exp *= math.Min(f.most, 1+f.growth*float64(m.Sub(First)))
	}
	exp *= jitter(0.08, "count", ms, dir, cat)
	// Tiny flows (a handful a month) are sometimes absent altogether.
	if exp < 5 && unit("zero", ms, dir, cat) < 0.12 {
		return 0
	}
	n := int64(math.Round(exp))
	if n < 1 {
		n = 1
	}
	return n
}

// split divides total among parts by their weights, each jittered by month,
// using the largest-remainder method so that the rows add up exactly.
func split(total int64, parts []part, keys ...string) []int64 {
	w := make([]float64, len(parts))
	sum := 0.0
	for i, p := range parts {
		w[i] = p.weight * jitter(0.2, append(keys, "part", p.sector, p.origin, p.dest)...)
		sum += w[i]
	}
	out := make([]int64, len(parts))
	rem := make([]float64, len(parts))
	used := int64(0)
	for i := range parts {
		exact := float64(total) * w[i] / sum
		out[i] = int64(math.Floor(exact))
		rem[i] = exact - float64(out[i])
		used += out[i]
	}
	for ; used < total; used++ {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// occasional notes attached to a few final rows, chosen by hash.
var notes = []string{
	"includes late registrations",
	"revised after reconciliation",
	"estimate from partial returns",
}

// Generate returns the demonstration figures for every month from 2024-09 up
// to the month before today's month, both directions, every category. Rows
// are ordered by month, direction, category (csv order) and breakdown. The
// last two months are provisional, the rest final.
func Generate(today time.Time) []Row {
	last := month.Of(today).Add(-1)
	var rows []Row
	for _, m := range month.Range(First, last) {
		status := Final
		if m.Sub(last) > -ProvisionalMonths {
			status = Provisional
		}
		ms := m.String()
		for _, dir := range Directions {
			for _, cat := range Categories {
				f := flows[dir][cat]
				total := categoryCount(m, dir, cat)
				parts := f.parts
				if parts == nil {
					parts = []part{{weight: 1}}
				}
				counts := split(total, parts, ms, dir, cat)
				for i, p := range parts {
					r := Row{
						Month: m, Direction: dir, Category: cat,
						Sector: p.sector, Origin: p.origin, Destination: p.dest,
						Count: counts[i], Status: status, Source: f.source,
					}
					r.Note = note(r)
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
}

// note picks the short note of a row, if any.
func note(r Row) string {
	if r.Direction == reference.JapanToIndia && r.Category == "language_teacher" && r.Destination == "IN-DL" {
		return "Nihongo Partners"
	}
	keys := []string{"note", r.Month.String(), r.Direction, r.Category, r.Sector, r.Origin, r.Destination}
	u := unit(keys...)
	if r.Status == Provisional {
		if u < 0.15 {
			return "awaiting final count"
		}
		return ""
	}
	if u < 0.01 {
		return notes[int(unit(append(keys, "which")...)*float64(len(notes)))]
	}
	return ""
}
