package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// The pass marks, the same for every attack.
const (
	maxUploadMB       = 20                     // HRX_MAX_UPLOAD_MB of the server under attack
	rssLimit          = 100 << 20              // growth of resident memory over the baseline
	tempLimit         = 2 * maxUploadMB << 20  // peak size of the server's TMPDIR
	dbLimit           = 1 << 20                // database growth, the throttle's allowance aside
	throttleAllowance = 256 << 10              // growth of the sign-in throttle tables not counted
	healthzLimit      = 100 * time.Millisecond // slowest /healthz answer during the attack
	settle            = 500 * time.Millisecond // sampling goes on this long after an attack
)

// result is what one attack did to the server, and what it found.
type result struct {
	name    string
	mu      sync.Mutex
	codes   map[string]int
	fails   []string
	notes   []string
	rssBase int64
	rssPeak int64
	temp    int64
	dbDelta int64 // counted growth
	hzMax   time.Duration
	hzP99   time.Duration
	took    time.Duration
	broken  string // the harness could not run the attack
}

func newResult(name string) *result { return &result{name: name, codes: map[string]int{}} }

// code counts one answer: a status code or how the request ended.
func (r *result) code(c string) {
	r.mu.Lock()
	r.codes[c]++
	r.mu.Unlock()
}

func (r *result) status(s int) { r.code(strconv.Itoa(s)) }

func (r *result) fail(format string, a ...any) {
	r.mu.Lock()
	r.fails = append(r.fails, fmt.Sprintf(format, a...))
	r.mu.Unlock()
}

func (r *result) note(format string, a ...any) {
	r.mu.Lock()
	r.notes = append(r.notes, fmt.Sprintf(format, a...))
	r.mu.Unlock()
}

func (r *result) passed() bool { return len(r.fails) == 0 && r.broken == "" }

// judge adds the failures every attack is held to.
func (r *result) judge() {
	if d := r.rssPeak - r.rssBase; d >= rssLimit {
		r.fail("resident memory grew by %s (limit %s)", mib(d), mib(rssLimit))
	}
	if r.temp >= tempLimit {
		r.fail("temporary files reached %s (limit %s, twice HRX_MAX_UPLOAD_MB)", mib(r.temp), mib(tempLimit))
	}
	if r.dbDelta >= dbLimit {
		r.fail("the database grew by %s (limit %s)", mib(r.dbDelta), mib(dbLimit))
	}
	if r.hzMax >= healthzLimit {
		r.fail("/healthz took up to %s (limit %s)", ms(r.hzMax), ms(healthzLimit))
	}
	if n := r.codes["500"]; n > 0 {
		r.fail("%d answers were 500 Internal Server Error", n)
	}
}

func mib(n int64) string {
	switch a := max(n, -n); {
	case a >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case a >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%d KiB", n>>10)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

// codeList writes the answers seen as "403×4 timeout×2", most frequent first.
func (r *result) codeList() string {
	keys := slices.Collect(maps.Keys(r.codes))
	slices.SortFunc(keys, func(a, b string) int {
		if r.codes[a] != r.codes[b] {
			return r.codes[b] - r.codes[a]
		}
		return strings.Compare(a, b)
	})
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s×%d", k, r.codes[k]))
	}
	return strings.Join(parts, " ")
}

// printTable writes the results table, then every failure and note.
func printTable(w io.Writer, results []*result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ATTACK\tRSS Δ\tTEMP PEAK\tDB Δ\tHEALTHZ MAX / P99\tSTATUS CODES\tRESULT")
	for _, r := range results {
		verdict := "PASS"
		if !r.passed() {
			verdict = "FAIL"
		}
		if r.broken != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\tFAIL\n", r.name)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s / %s\t%s\t%s\n", r.name, mib(r.rssPeak-r.rssBase), mib(r.temp), mib(r.dbDelta),
			ms(r.hzMax), ms(r.hzP99), r.codeList(), verdict)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nMarks: RSS Δ (peak VmRSS over the baseline taken just before the attack) < %s; TEMP PEAK (the server's TMPDIR) < %s;\n"+
		"DB Δ < %s, where DB Δ is the growth of the pages in use (SQLite: page_count − freelist_count, so a growing\n"+
		"write-ahead log does not count; PostgreSQL: pg_database_size) less up to %s of growth of the sign-in throttle\n"+
		"tables; /healthz polled every %s, slowest answer < %s; no 500 answers. Each attack runs on a fresh hrx serve.\n",
		mib(rssLimit), mib(tempLimit), mib(dbLimit), mib(throttleAllowance), ms(sampleEvery), ms(healthzLimit))
	for _, r := range results {
		if r.broken == "" && len(r.fails) == 0 && len(r.notes) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%s):\n", r.name, r.took.Round(100*time.Millisecond))
		if r.broken != "" {
			fmt.Fprintf(w, "  FAIL  the attack could not be run: %s\n", r.broken)
		}
		for _, f := range r.fails {
			fmt.Fprintf(w, "  FAIL  %s\n", f)
		}
		for _, n := range r.notes {
			fmt.Fprintf(w, "        %s\n", n)
		}
	}
}
