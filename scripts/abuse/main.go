// Command abuse replays known attacks on HRX against a real `hrx serve` on
// loopback and measures what each one costs the server: resident memory (peak
// over the baseline), temporary files (its private TMPDIR), database growth and
// /healthz latency, besides what each attack checks of the answers. It prints
// a table and exits 1 when any attack fails.
//
//	scripts/abuse.sh                      # build hrx, set up a fresh SQLite database, run every attack
//	scripts/abuse.sh -only xlsx           # the attacks whose name is or starts with "xlsx"
//	scripts/abuse.sh -database postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
//	scripts/abuse.sh -list                # name every attack and what it checks
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// attacks lists every attack in the order they run. The sign-in attacks come
// last because they leave the editor's account throttled, and the 9 MiB
// addresses after them, so that no other attack works over what they may leave
// in the throttle's tables.
func attacks() []attack {
	return []attack{
		{"anon-body-length", "anonymous 1 GiB multipart POSTs with Content-Length are refused before the body is read", 20 * time.Second, anonBodies(false)},
		{"anon-body-chunked", "the same, chunked (no Content-Length)", 20 * time.Second, anonBodies(true)},
		{"upload-chunked-300mb", "the editor's chunked 300 MiB upload gets 413", 15 * time.Second, editorUpload(300 << 20)},
		{"upload-chunked-63mb", "the editor's chunked 63 MiB upload gets 413", 15 * time.Second, editorUpload(63 << 20)},
		{"xlsx-shared-strings", "a workbook with ~500 MB of empty shared strings is refused within about a second", 9 * time.Second, uploadBomb("xlsx-shared-strings")},
		{"xlsx-huge-cell", "a workbook with one 1 GiB cell is refused within about a second", 9 * time.Second, uploadBomb("xlsx-huge-cell")},
		{"xlsx-wide-row", "a workbook with a row of 20 million cells is refused within about a second", 9 * time.Second, uploadBomb("xlsx-wide-row")},
		{"widget-host-headers", "3,000 widget requests with unique 200 KB Host headers", 20 * time.Second, hostFlood},
		{"widget-query-keys", "3,000 widget requests with unique 2 KiB parameters", 20 * time.Second, queryFlood},
		{"host-reflection", "answers never carry an attacker's Host, also not from a cache", 10 * time.Second, hostReflection},
		{"figures-api", "every figure grouped by all six columns, five orders at once: bounded answers", 30 * time.Second, figuresAPI},
		{"open-redirect", "next= on /language and /login only ever redirects to a local path", 10 * time.Second, openRedirect},
		{"security-headers", "nosniff on every kind of answer; no CORS on POST /api/v1/imports", 10 * time.Second, securityHeaders},
		{"signin-burst", "40 parallel wrong passwords: at most 5 compared; the right one is not let in straight after", 25 * time.Second, signinBurst},
		{"signin-stranger", "a stranger's 10 failures do not keep the owner out from another address", 25 * time.Second, signinStranger},
		{"login-huge-email", "ten sign-ins with a 9 MiB e-mail address: nothing stored, nothing echoed", 30 * time.Second, signinHugeEmail},
	}
}

func main() { os.Exit(run()) }

// options are the command line's flags.
type options struct {
	only, database, bin string
	figures             int
	keep, list          bool
}

func run() int {
	var o options
	flag.StringVar(&o.only, "only", "", "run only these attacks: names or name prefixes, comma-separated (see -list)")
	flag.IntVar(&o.figures, "figures", 50_000, "published figures to load for the widget and API attacks")
	flag.StringVar(&o.database, "database", "", "a postgres:// URL to create a fresh database next to (default: a new SQLite file)")
	flag.StringVar(&o.bin, "bin", "", "an hrx binary to attack instead of building ./cmd/hrx")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (database, server log, generated files)")
	flag.BoolVar(&o.list, "list", false, "list the attacks and stop")
	flag.Parse()
	all := attacks()
	if o.list {
		for _, a := range all {
			fmt.Printf("%-22s %s\n", a.name, a.about)
		}
		return 0
	}
	chosen, err := choose(all, o.only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "abuse:", err)
		return 2
	}
	// Ctrl-C ends the attack under way and still stops the server and cleans up.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	results, err := suite(ctx, o, chosen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "abuse:", err)
		return 2
	}
	fmt.Println()
	printTable(os.Stdout, results)
	failed := 0
	for _, r := range results {
		if !r.passed() {
			failed++
		}
	}
	fmt.Printf("\n%d of %d attacks passed.\n", len(results)-failed, len(results))
	if failed > 0 {
		return 1
	}
	return 0
}

// choose picks the attacks -only names (all of them without it), in the
// usual order; a name also stands for every attack it is the start of.
func choose(all []attack, only string) ([]attack, error) {
	if strings.TrimSpace(only) == "" {
		return all, nil
	}
	var wants []string
	for _, w := range strings.Split(only, ",") {
		w = strings.TrimSpace(w)
		if w == "" || !slices.ContainsFunc(all, func(a attack) bool { return strings.HasPrefix(a.name, w) }) {
			return nil, fmt.Errorf("-only %q names no attack; -list lists them", w)
		}
		wants = append(wants, w)
	}
	var out []attack
	for _, a := range all {
		if slices.ContainsFunc(wants, func(w string) bool { return strings.HasPrefix(a.name, w) }) {
			out = append(out, a)
		}
	}
	return out, nil
}

// suite sets everything up, runs the attacks and cleans up.
func suite(ctx context.Context, o options, chosen []attack) ([]*result, error) {
	work, err := os.MkdirTemp("", "hrx-abuse-")
	if err != nil {
		return nil, err
	}
	if o.keep {
		defer progress("kept %s", work)
	} else {
		defer os.RemoveAll(work)
	}
	e, cleanup, err := setUp(ctx, o, work)
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		return nil, err
	}
	var results []*result
	for i, a := range chosen {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r := runAttack(ctx, e, a)
		verdict := "PASS"
		if !r.passed() {
			verdict = "FAIL"
		}
		progress("[%d/%d] %-22s %s (%s)", i+1, len(chosen), a.name, verdict, r.took.Round(100*time.Millisecond))
		results = append(results, r)
	}
	return results, nil
}

// setUp builds hrx, prepares the database and the workbook bombs, and signs the editor in.
func setUp(ctx context.Context, o options, work string) (*env, func(), error) {
	t := time.Now()
	bin, err := hrxBinary(ctx, o.bin, work)
	if err != nil {
		return nil, nil, err
	}
	dbURL, probe, cleanup, err := database(ctx, o.database, work)
	if err != nil {
		return nil, nil, err
	}
	e := &env{db: probe, editorJar: newJar()}
	bombsBuilt := make(chan error, 1)
	go func() {
		var err error
		e.bombs, err = buildBombs()
		bombsBuilt <- err
	}()
	progress("setting up the database (%d figures)", o.figures)
	if err := prepare(ctx, bin, dbURL, work, o.figures); err != nil {
		return nil, cleanup, err
	}
	if err := <-bombsBuilt; err != nil {
		return nil, cleanup, err
	}
	if e.srv, err = newServer(bin, work, dbURL); err != nil {
		return nil, cleanup, err
	}
	e.base = e.srv.base()
	if err := signInEditor(ctx, e); err != nil {
		return nil, cleanup, err
	}
	progress("set up in %s; server log: %s", time.Since(t).Round(100*time.Millisecond), e.srv.logFile.Name())
	return e, cleanup, nil
}

// hrxBinary builds hrx into work, or returns the absolute path of the one given.
func hrxBinary(ctx context.Context, given, work string) (string, error) {
	if given != "" {
		return filepath.Abs(given)
	}
	progress("building hrx")
	return build(ctx, work)
}

// database returns the suite's database URL and probe: a new SQLite file in
// work, or a new PostgreSQL database next to the one named, with a cleanup
// that drops it.
func database(ctx context.Context, flagURL, work string) (string, dbProbe, func(), error) {
	switch {
	case flagURL == "":
		path := filepath.Join(work, "hrx.db")
		return path, dbProbe{sqlitePath: path}, nil, nil
	case strings.HasPrefix(flagURL, "postgres://"), strings.HasPrefix(flagURL, "postgresql://"):
		u, drop, err := freshPostgres(ctx, flagURL)
		return u, dbProbe{postgresURL: u}, drop, err
	}
	return "", dbProbe{}, nil, fmt.Errorf("-database takes a postgres:// URL; without it the suite uses a new SQLite file")
}

// signInEditor signs the editor in once; the session lives in the database, so
// it outlasts the server processes of the attacks.
func signInEditor(ctx context.Context, e *env) error {
	if err := e.srv.start(ctx); err != nil {
		return err
	}
	defer e.srv.stop()
	rep, ok, err := signIn(ctx, httpClient(e.editorJar, 10*time.Second), e.base, editorEmail, editorPassword, "")
	if err != nil || !ok {
		return fmt.Errorf("signing the editor in: %v (status %d: %s)", err, rep.status, pageText(rep.body))
	}
	return nil
}
