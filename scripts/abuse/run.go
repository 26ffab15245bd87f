package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"
)

// attack is one abuse case: what it checks and how to replay it.
type attack struct {
	name  string
	about string
	limit time.Duration // the most the replay may take
	run   func(ctx context.Context, e *env, r *result)
}

// env is what the attacks share: the server and the signed-in editor.
type env struct {
	srv       *server
	base      string
	editorJar http.CookieJar
	db        dbProbe
	bombs     map[string][]byte
}

// editor returns a client signed in as the editor.
func (e *env) editor(timeout time.Duration) *http.Client { return httpClient(e.editorJar, timeout) }

// warmPaths are fetched before each baseline, so that what every first request
// builds (templates, the progress report, the widget cache, the breakdowns'
// sums that start-up reads in the background) is not counted as an attack's
// growth, nor its CPU as the attack's.
func warmPaths(base string) []string {
	return []string{"/healthz", "/", "/login", "/api/v1/targets", "/embed/skilled-workers?style=card", "/breakdown",
		"/oembed?url=" + url.QueryEscape(base+"/targets/skilled-workers")}
}

// runAttack starts a server, measures it around one attack, and stops it.
func runAttack(ctx context.Context, e *env, a attack) *result {
	r := newResult(a.name)
	start := time.Now()
	defer func() { r.took = time.Since(start) }()
	if err := e.srv.start(ctx); err != nil {
		r.broken = err.Error()
		return r
	}
	defer e.srv.stop()
	c := httpClient(nil, 10*time.Second)
	for _, p := range warmPaths(e.base) {
		if rep, err := get(ctx, c, e.base+p, nil); err == nil && rep.status >= 500 {
			r.note("warm-up GET %s answered %d", p, rep.status)
		}
	}
	c.CloseIdleConnections()
	before, err := e.db.size(ctx)
	if err != nil {
		r.broken = "measuring the database: " + err.Error()
		return r
	}
	time.Sleep(100 * time.Millisecond)
	smp := startSampler(e.srv.pid(), e.srv.tmp)
	r.rssBase = baselineRSS(e.srv.pid())
	smp.reset()
	hz := startPoller(e.base)

	actx, cancel := context.WithTimeout(ctx, a.limit)
	a.run(actx, e, r)
	late := actx.Err() != nil
	cancel()
	time.Sleep(settle)

	r.hzMax, r.hzP99 = hz.finish()
	if hz.errs > 0 {
		r.fail("/healthz failed %d times during the attack (first: %s)", hz.errs, hz.firstErr)
	}
	r.rssPeak, r.temp = smp.finish()
	if late {
		r.note("the replay was cut off at its limit of %s", a.limit)
	}
	if msg := e.srv.crashed(); msg != "" {
		r.fail("%s", msg)
	} else if rep, err := get(ctx, httpClient(nil, 5*time.Second), e.base+"/healthz", nil); err != nil || rep.status != http.StatusOK {
		r.fail("/healthz does not answer after the attack (%v, status %d)", err, rep.status)
	}
	after, err := e.db.size(ctx)
	if err != nil {
		r.broken = "measuring the database: " + err.Error()
		return r
	}
	countDB(r, before, after)
	r.judge()
	return r
}

// countDB works out the counted database growth: everything, less up to
// throttleAllowance of the sign-in throttle tables' growth.
func countDB(r *result, before, after dbSize) {
	used, thr := after.Used-before.Used, after.Throttle-before.Throttle
	r.dbDelta = used - min(max(thr, 0), throttleAllowance)
	if max(used, -used) >= 64<<10 || max(thr, -thr) >= 4<<10 {
		msg := fmt.Sprintf("database: pages in use %+d KiB, sign-in throttle tables %+d KiB (%s)", used>>10, thr>>10, after.How)
		if after.Files != 0 {
			msg += fmt.Sprintf(", files on disk %+d KiB", (after.Files-before.Files)>>10)
		}
		r.note("%s", msg)
	}
}

// progress writes a line to stderr while the suite runs.
func progress(format string, a ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", a...)
}
