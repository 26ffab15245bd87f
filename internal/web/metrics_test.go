package web_test

import (
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"hrx/internal/config"
)

// scrape reads /metrics with the Prometheus client's own parser.
func scrape(t *testing.T, e *env, header ...string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, body := fetch(t, e, "/metrics", header...)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return fams
}

// series finds the metric of a family with the given labels (name, value, …).
func series(fams map[string]*dto.MetricFamily, name string, labels ...string) *dto.Metric {
	f, ok := fams[name]
	if !ok {
		return nil
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		return m
	}
	return nil
}

// requests is how many requests a route's histogram counted.
func requests(fams map[string]*dto.MetricFamily, route, code string) uint64 {
	m := series(fams, "hrx_http_request_duration_seconds", "route", route, "method", "GET", "code", code)
	if m == nil {
		return 0
	}
	return m.GetHistogram().GetSampleCount()
}

func TestMetricsFamiliesAndRouteHistograms(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	b := e.browser()
	for _, p := range []string{"/embed/skilled-workers.svg?style=card", "/api/v1/targets/skilled-workers"} {
		if st, body := b.get(p); st != http.StatusOK {
			t.Fatalf("%s: %d %s", p, st, body)
		}
	}
	before := scrape(t, e)
	for _, name := range []string{
		"hrx_http_request_duration_seconds", "hrx_http_requests_in_flight",
		"go_sql_open_connections", "go_sql_wait_count_total",
		"hrx_cache_hits_total", "hrx_cache_misses_total", "hrx_cache_bytes", "hrx_cache_entries",
		"hrx_imports", "hrx_import_rows", "hrx_emails", "hrx_data_version",
		"go_goroutines", "go_memstats_alloc_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes",
	} {
		if _, ok := before[name]; !ok {
			t.Errorf("no %s in /metrics", name)
		}
	}
	if f, ok := before["hrx_metrics_database_errors"]; ok {
		t.Errorf("a database read failed: %v", f)
	}
	if before["hrx_http_request_duration_seconds"].GetType() != dto.MetricType_HISTOGRAM {
		t.Errorf("request duration is a %v", before["hrx_http_request_duration_seconds"].GetType())
	}
	if before["hrx_data_version"].GetMetric()[0].GetGauge().GetValue() < 1 {
		t.Errorf("data version: %v", before["hrx_data_version"])
	}
	if m := series(before, "hrx_imports", "outcome", "applied"); m == nil || m.GetGauge().GetValue() != 0 {
		t.Errorf("imports applied: %v", m)
	}
	if series(before, "hrx_emails", "outcome", "sent") == nil {
		t.Error("no e-mails sent series (0 when none)")
	}
	// Both SQLite pools, or PostgreSQL's one.
	pools := map[string]bool{}
	for _, m := range before["go_sql_open_connections"].GetMetric() {
		for _, l := range m.GetLabel() {
			pools[l.GetValue()] = true
		}
	}
	if !(pools["sqlite_writer"] && pools["sqlite_readers"]) && !pools["postgres"] {
		t.Errorf("database pools: %v", pools)
	}

	// A request adds one to its route's histogram, under the route's
	// template: never the URL, whatever its slug or query.
	svg := requests(before, "/embed/:slug", "200")
	if svg == 0 {
		t.Fatalf("the widget's request was not counted under /embed/:slug: %v", before["hrx_http_request_duration_seconds"])
	}
	if st, _ := b.get("/embed/skilled-workers.svg?style=card&cb=42"); st != http.StatusOK {
		t.Fatal(st)
	}
	if st, _ := b.get("/api/v1/targets/no-such-target"); st != http.StatusNotFound {
		t.Fatal(st)
	}
	after := scrape(t, e)
	if got := requests(after, "/embed/:slug", "200"); got != svg+1 {
		t.Errorf("/embed/:slug 200: %d, then %d", svg, got)
	}
	if got := requests(after, "/api/v1/targets/:slug", "404"); got != 1 {
		t.Errorf("/api/v1/targets/:slug 404: %d", got)
	}
	for _, m := range after["hrx_http_request_duration_seconds"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && (strings.Contains(l.GetValue(), "skilled") || strings.Contains(l.GetValue(), "?")) {
				t.Errorf("a route label holds a URL: %q", l.GetValue())
			}
		}
	}
	hits := after["hrx_cache_hits_total"].GetMetric()[0].GetCounter().GetValue()
	if hits < 1 {
		t.Errorf("cache hits: %v (the second widget request is served from memory)", hits)
	}
}

func TestMetricsAccess(t *testing.T) {
	get := func(e *env, header ...string) (int, http.Header, string) {
		resp, body := fetch(t, e, "/metrics", header...)
		return resp.StatusCode, resp.Header, body
	}
	const token = "0123456789abcdef0123456789abcdef"

	// Nothing set: loopback only (the test server is on 127.0.0.1).
	if st, _, _ := get(newEnv(t)); st != http.StatusOK {
		t.Errorf("loopback, nothing set: %d", st)
	}
	// An address range that leaves loopback out.
	e := newEnvWith(t, func(c *config.Config) { c.Metrics.Allow = "10.0.0.0/8" })
	if st, _, body := get(e); st != http.StatusForbidden || !strings.Contains(body, "HRX_METRICS_ALLOW") {
		t.Errorf("outside HRX_METRICS_ALLOW: %d %.200s", st, body)
	}
	// The range is checked against the client's address as the trusted-proxy rule finds it.
	e = newEnvWith(t, func(c *config.Config) { c.Metrics.Allow = "10.0.0.0/8"; c.TrustedProxies = "127.0.0.1" })
	if st, _, _ := get(e, "X-Forwarded-For", "10.1.2.3"); st != http.StatusOK {
		t.Errorf("10.1.2.3 through a trusted proxy: %d", st)
	}
	if st, _, _ := get(e, "X-Forwarded-For", "192.0.2.7"); st != http.StatusForbidden {
		t.Errorf("192.0.2.7 through a trusted proxy: %d", st)
	}
	// A forwarded address from an untrusted peer is not believed.
	e = newEnvWith(t, func(c *config.Config) { c.Metrics.Allow = "10.0.0.0/8" })
	if st, _, _ := get(e, "X-Forwarded-For", "10.1.2.3"); st != http.StatusForbidden {
		t.Errorf("X-Forwarded-For from an untrusted peer believed: %d", st)
	}
	// A token: needed, from anywhere.
	e = newEnvWith(t, func(c *config.Config) { c.Metrics.Token = token })
	if st, h, body := get(e); st != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") || !strings.Contains(body, "HRX_METRICS_TOKEN") {
		t.Errorf("no token: %d %q %.200s", st, h.Get("WWW-Authenticate"), body)
	}
	if st, _, _ := get(e, "Authorization", "Bearer "+token+"x"); st != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", st)
	}
	if st, _, body := get(e, "Authorization", "Bearer "+token); st != http.StatusOK || !strings.Contains(body, "hrx_http_requests_in_flight") {
		t.Errorf("right token: %d", st)
	}
	// Both: the address and the token.
	e = newEnvWith(t, func(c *config.Config) { c.Metrics.Allow = "127.0.0.0/8"; c.Metrics.Token = token })
	if st, _, _ := get(e); st != http.StatusUnauthorized {
		t.Errorf("allowed address without the token: %d", st)
	}
	if st, _, _ := get(e, "Authorization", "Bearer "+token); st != http.StatusOK {
		t.Errorf("allowed address with the token: %d", st)
	}
}
