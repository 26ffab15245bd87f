package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	valerrors "github.com/pb33f/libopenapi-validator/errors"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/figures"
	"hrx/internal/users"
)

// apiSpec checks real responses against the OpenAPI document the server
// serves, and remembers which documented operations and statuses were seen.
type apiSpec struct {
	t    *testing.T
	v    validator.Validator
	ops  map[string][]string        // "GET /api/v1/targets/{slug}" → documented statuses
	seen map[string]map[string]bool // operation → statuses seen
}

// loadSpec fetches /api/v1/openapi.json from e and builds a validator from it;
// the fetch itself is checked against the document.
func loadSpec(t *testing.T, e *env) *apiSpec {
	t.Helper()
	resp, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("openapi.json is version %q, want 3.1.0", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("openapi.json: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		t.Fatalf("openapi.json is not a valid OpenAPI 3.1 document:\n%s", describe(verrs))
	}
	model, berr := doc.BuildV3Model()
	if berr != nil {
		t.Fatal(berr)
	}
	s := &apiSpec{t: t, v: v, ops: map[string][]string{}, seen: map[string]map[string]bool{}}
	for path, item := range model.Model.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			key := strings.ToUpper(method) + " " + path
			for code := range op.Responses.Codes.FromOldest() {
				s.ops[key] = append(s.ops[key], code)
			}
			if op.Responses.Default != nil {
				t.Errorf("%s documents a default response; list the statuses so that undocumented ones are caught", key)
			}
		}
	}
	// The fetch above, checked now that there is a validator.
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/openapi.json", nil)
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	s.check("GET /api/v1/openapi.json", req, nil, resp, raw)
	return s
}

func describe(errs []*valerrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  - %s: %s\n", e.Message, e.Reason)
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "      %s %s (schema %s)\n", f.FieldPath, f.Reason, f.KeywordLocation)
		}
	}
	return b.String()
}

// request is one call to make: op names the documented operation it is meant to hit.
type request struct {
	op          string
	method, url string
	header      http.Header
	body        []byte
	validReq    bool // the request itself must also conform (false for the deliberately bad ones)
}

// do makes the call and checks the response (status, headers, body) against the document.
func (s *apiSpec) do(r request) (*http.Response, []byte) {
	s.t.Helper()
	newReq := func() *http.Request {
		var body io.Reader
		if r.body != nil {
			body = bytes.NewReader(r.body)
		}
		req, err := http.NewRequest(r.method, r.url, body)
		if err != nil {
			s.t.Fatal(err)
		}
		for k, vs := range r.header {
			req.Header[k] = vs
		}
		return req
	}
	if r.validReq {
		if ok, errs := s.v.ValidateHttpRequest(newReq()); !ok {
			s.t.Errorf("%s %s: the request does not conform to openapi.json:\n%s", r.method, r.url, describe(errs))
		}
	}
	req := newReq()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	s.check(r.op, newReq(), r.body, resp, raw)
	return resp, raw
}

func (s *apiSpec) check(op string, req *http.Request, body []byte, resp *http.Response, raw []byte) {
	s.t.Helper()
	codes, ok := s.ops[op]
	if !ok {
		s.t.Fatalf("%s is not documented in openapi.json", op)
	}
	if !slices.Contains(codes, fmt.Sprint(resp.StatusCode)) {
		s.t.Errorf("%s %s: status %d is not documented (documented: %v)\n%s", op, req.URL, resp.StatusCode, codes, raw)
	}
	if s.seen[op] == nil {
		s.seen[op] = map[string]bool{}
	}
	s.seen[op][fmt.Sprint(resp.StatusCode)] = true
	if ok, errs := s.v.ValidateHttpResponse(req, resp); !ok {
		s.t.Errorf("%s %s: the %d response does not conform to openapi.json:\n%s\nbody: %s", op, req.URL, resp.StatusCode, describe(errs), raw)
	}
	// The validator reads the body; give it back for the caller.
	resp.Body = io.NopCloser(bytes.NewReader(raw))
}

// covered fails the test unless every documented operation was called, and
// every documented status except 500 was seen.
func (s *apiSpec) covered() {
	s.t.Helper()
	for op, codes := range s.ops {
		for _, c := range codes {
			if c != "500" && !s.seen[op][c] {
				s.t.Errorf("%s: documented status %s was never checked against a real response", op, c)
			}
		}
	}
}

func get(op, url string, header ...string) request {
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return request{op: op, method: "GET", url: url, header: h, validReq: true}
}

func mustJSON(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
}

// TestOpenAPIConformance calls every documented endpoint for real and checks
// each response against openapi.json.
func TestOpenAPIConformance(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	// 2025-09 is being revised, so that a file for it can be imported.
	if _, err := approval.NewStore(e.db, figures.NewStore(e.db)).Do(context.Background(), audit.System("test"), users.Admin, "2025-09", approval.Reopen, "revision"); err != nil {
		t.Fatal(err)
	}
	spec := loadSpec(t, e)
	base := e.srv.URL

	// The document itself, and its ETag.
	resp, _ := spec.do(get("GET /api/v1/openapi.json", base+"/api/v1/openapi.json"))
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("openapi.json headers: %v", resp.Header)
	}
	spec.do(get("GET /api/v1/openapi.json", base+"/api/v1/openapi.json", "If-None-Match", resp.Header.Get("ETag")))

	// Targets.
	const list = "GET /api/v1/targets"
	resp, raw := spec.do(get(list, base+"/api/v1/targets"))
	var targets struct{ Targets []map[string]any }
	mustJSON(t, raw, &targets)
	if resp.StatusCode != 200 || len(targets.Targets) != 2 {
		t.Fatalf("targets: %d %s", resp.StatusCode, raw)
	}
	spec.do(get(list, base+"/api/v1/targets?lang=ja"))
	spec.do(get(list, base+"/api/v1/targets", "If-None-Match", "W/\"stale\", "+resp.Header.Get("ETag")))
	if r, _ := spec.do(request{op: list, method: "GET", url: base + "/api/v1/targets?lang=xx"}); r.StatusCode != 400 {
		t.Errorf("lang=xx: %d", r.StatusCode)
	}
	// A parameter the endpoint does not take, or one given twice, is refused, never ignored.
	for _, u := range []string{"/api/v1/targets?foo=1", "/api/v1/targets?lang=ja&lang=en", "/api/v1/targets/skilled-workers?langg=ja"} {
		op := list
		if strings.Contains(u, "skilled") {
			op = "GET /api/v1/targets/{slug}"
		}
		if r, raw := spec.do(request{op: op, method: "GET", url: base + u}); r.StatusCode != 400 || !strings.Contains(string(raw), "parameter ") {
			t.Errorf("%s: %d %s", u, r.StatusCode, raw)
		}
	}
	if r, _ := spec.do(request{op: "GET /api/v1/openapi.json", method: "GET", url: base + "/api/v1/openapi.json?x=1"}); r.StatusCode != 400 {
		t.Errorf("openapi.json?x=1: %d", r.StatusCode)
	}

	const one = "GET /api/v1/targets/{slug}"
	for _, tg := range targets.Targets {
		resp, _ = spec.do(get(one, base+"/api/v1/targets/"+tg["slug"].(string)+"?lang=hi"))
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", tg["slug"], resp.StatusCode)
		}
	}
	spec.do(get(one, base+"/api/v1/targets/skilled-workers?lang=hi", "If-None-Match", resp.Header.Get("ETag")))
	if r, _ := spec.do(get(one, base+"/api/v1/targets/no-such-target")); r.StatusCode != 404 {
		t.Errorf("unknown target: %d", r.StatusCode)
	}
	if r, _ := spec.do(request{op: one, method: "GET", url: base + "/api/v1/targets/total-exchange?lang=de"}); r.StatusCode != 400 {
		t.Errorf("lang=de: %d", r.StatusCode)
	}

	// The scenario planner: each kind of scenario, its ETag, and every refusal.
	const planOp = "GET /api/v1/targets/{slug}/plan"
	for _, q := range []string{"", "?growth=2", "?growth=-0.5&lang=ja", "?fixed=9000", "?cat.student=2000&cat.engineer=100", "?growth=100"} {
		if r, raw := spec.do(get(planOp, base+"/api/v1/targets/total-exchange/plan"+q)); r.StatusCode != 200 {
			t.Errorf("plan%s: %d %s", q, r.StatusCode, raw)
		}
	}
	resp, _ = spec.do(get(planOp, base+"/api/v1/targets/skilled-workers/plan?fixed=900"))
	spec.do(get(planOp, base+"/api/v1/targets/skilled-workers/plan?fixed=900", "If-None-Match", resp.Header.Get("ETag")))
	for _, q := range []string{"growth=abc", "growth=-100", "growth=2&fixed=1", "fixed=1.5", "cat.nope=1", "mode=growth", "lang=xx"} {
		if r, raw := spec.do(request{op: planOp, method: "GET", url: base + "/api/v1/targets/total-exchange/plan?" + q}); r.StatusCode != 400 || !strings.Contains(string(raw), "parameter ") && q != "lang=xx" {
			t.Errorf("plan?%s: %d %s", q, r.StatusCode, raw)
		}
	}
	if r, _ := spec.do(get(planOp, base+"/api/v1/targets/no-such-target/plan?growth=1")); r.StatusCode != 404 {
		t.Errorf("plan of an unknown target: %d", r.StatusCode)
	}

	// Figures.
	const fig = "GET /api/v1/figures"
	for _, q := range []string{
		"", "group_by=month", "group_by=direction", "group_by=category", "group_by=sector", "group_by=origin",
		"group_by=destination", "group_by=month,direction,category,sector,origin,destination",
		"group_by=category&group_by=month",
		"from=2025-09&to=2025-10&group_by=category", "direction=JP-IN", "category=student&group_by=month,direction",
		"sector=it_software&group_by=origin,destination", "origin=IN-KA&destination=JP-13", "from=2031-01",
	} {
		if r, raw := spec.do(get(fig, base+"/api/v1/figures?"+q)); r.StatusCode != 200 {
			t.Errorf("figures?%s: %d %s", q, r.StatusCode, raw)
		}
	}
	resp, _ = spec.do(get(fig, base+"/api/v1/figures?group_by=category"))
	spec.do(get(fig, base+"/api/v1/figures?group_by=category", "If-None-Match", resp.Header.Get("ETag")))
	for _, q := range []string{"from=2025-13", "direction=IN-US", "group_by=year", "category=nope", "from=2025-10&to=2025-09", "colour=red",
		"limit=0", "limit=10001", "limit=ten", "cursor=not!base64", "cursor=bm90IGpzb24"} {
		if r, raw := spec.do(request{op: fig, method: "GET", url: base + "/api/v1/figures?" + q}); r.StatusCode != 400 {
			t.Errorf("figures?%s: %d %s", q, r.StatusCode, raw)
		}
	}
	// Pages: every next link conforms, and so does what it gives; the last page's next is null.
	u, pages := base+"/api/v1/figures?group_by=category,month&limit=2", 0
	for ; u != ""; pages++ {
		r, raw := spec.do(get(fig, u))
		var page struct{ Next *string }
		mustJSON(t, raw, &page)
		if r.StatusCode != 200 || pages > 10 {
			t.Fatalf("page %d: %d %s", pages+1, r.StatusCode, raw)
		}
		if u = ""; page.Next != nil {
			u = base + *page.Next
		}
	}
	if pages != 3 { // 6 groups of month and category
		t.Errorf("%d pages of 2 rows, want 3", pages)
	}
	// A cursor of one query is refused by another.
	_, raw = spec.do(get(fig, base+"/api/v1/figures?group_by=month&limit=1"))
	var first struct{ Next string }
	mustJSON(t, raw, &first)
	cursor := first.Next[strings.Index(first.Next, "cursor="):]
	if r, raw := spec.do(get(fig, base+"/api/v1/figures?group_by=category&"+cursor)); r.StatusCode != 400 {
		t.Errorf("another query's cursor: %d %s", r.StatusCode, raw)
	}
	// A query past the server's time limit: 503 with Retry-After.
	slow := newEnvWith(t, func(c *config.Config) { c.QueryTimeout = time.Nanosecond })
	knownData(slow)
	if r, raw := spec.do(get(fig, slow.srv.URL+"/api/v1/figures?group_by=sector")); r.StatusCode != 503 || r.Header.Get("Retry-After") == "" {
		t.Errorf("past the time limit: %d %v %s", r.StatusCode, r.Header, raw)
	}

	// Imports.
	const imp = "POST /api/v1/imports"
	editor := e.addUser("editor@example.gov.in", users.Editor)
	viewer := e.addUser("viewer@example.gov.in", users.Viewer)
	tok, _, err := e.web.Users().CreateToken(context.Background(), audit.System("test"), editor.ID, "openapi test")
	if err != nil {
		t.Fatal(err)
	}
	vtok, _, err := e.web.Users().CreateToken(context.Background(), audit.System("test"), viewer.ID, "openapi test")
	if err != nil {
		t.Fatal(err)
	}
	csvBody := func(token string) http.Header {
		h := http.Header{"Content-Type": {"text/csv"}}
		if token != "" {
			h.Set("Authorization", "Bearer "+token)
		}
		return h
	}
	good := sample(t, "2025-09.csv")
	post := func(query string, h http.Header, body []byte, valid bool) (*http.Response, map[string]any) {
		t.Helper()
		r, raw := spec.do(request{op: imp, method: "POST", url: base + "/api/v1/imports" + query, header: h, body: body, validReq: valid})
		var out map[string]any
		mustJSON(t, raw, &out)
		return r, out
	}
	if r, out := post("", csvBody(""), good, false); r.StatusCode != 401 || r.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d %v", r.StatusCode, out)
	}
	if r, out := post("", csvBody("hrx_not-a-token"), good, true); r.StatusCode != 401 {
		t.Errorf("bad token: %d %v", r.StatusCode, out)
	}
	if r, out := post("", csvBody(vtok), good, true); r.StatusCode != 403 {
		t.Errorf("viewer token: %d %v", r.StatusCode, out)
	}
	if r, out := post("?mode=sideways", csvBody(tok), good, false); r.StatusCode != 400 {
		t.Errorf("bad mode: %d %v", r.StatusCode, out)
	}
	if r, out := post("?dry_run=true&filename=2025-09.csv", csvBody(tok), good, true); r.StatusCode != 200 || out["applied"] != false || out["error_count"] != 0.0 {
		t.Errorf("dry run: %d %v", r.StatusCode, out)
	}
	// A rejected file: 422, every error with line, column, value and message.
	r, out := post("?dry_run=false", csvBody(tok), sample(t, "2025-09-errors.csv"), true)
	if errs, _ := out["errors"].([]any); r.StatusCode != 422 || out["applied"] != false || len(errs) == 0 {
		t.Errorf("rejected file: %d %v", r.StatusCode, out)
	} else if first := errs[0].(map[string]any); first["message"] == "" {
		t.Errorf("first error: %v", first)
	}
	// The real thing, as a multipart form.
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "2025-09.csv")
	fw.Write(good)
	mw.Close()
	h := http.Header{"Content-Type": {mw.FormDataContentType()}, "Authorization": {"Bearer " + tok}}
	if r, out := post("?mode=merge", h, form.Bytes(), true); r.StatusCode != 200 || out["applied"] != true || out["new"] == 0.0 {
		t.Errorf("import: %d %v", r.StatusCode, out)
	}
	// The import shows in the figures, under a new ETag.
	r2, _ := spec.do(get(fig, base+"/api/v1/figures?group_by=category", "If-None-Match", resp.Header.Get("ETag")))
	if r2.StatusCode != 200 || r2.Header.Get("ETag") == resp.Header.Get("ETag") {
		t.Errorf("after the import: %d, ETag %s", r2.StatusCode, r2.Header.Get("ETag"))
	}

	// A second server: an empty database (nulls in targets) and a small upload limit.
	small := newEnvWith(t, func(c *config.Config) { c.MaxUploadMB = 1 })
	sb := small.srv.URL
	resp, raw = spec.do(get(list, sb+"/api/v1/targets"))
	if resp.StatusCode != 200 || !strings.Contains(string(raw), `"as_of":null`) || !strings.Contains(string(raw), `"projected_completion":null`) {
		t.Errorf("empty targets: %d %s", resp.StatusCode, raw)
	}
	spec.do(get(one, sb+"/api/v1/targets/total-exchange"))
	if r, raw := spec.do(get("GET /api/v1/targets/{slug}/plan", sb+"/api/v1/targets/total-exchange/plan?growth=2")); r.StatusCode != 200 || !strings.Contains(string(raw), `"as_of":null`) {
		t.Errorf("plan without figures: %d %s", r.StatusCode, raw)
	}
	if r, raw := spec.do(get(fig, sb+"/api/v1/figures")); r.StatusCode != 200 || strings.TrimSpace(string(raw)) != `{"rows":[],"total":0,"next":null}` {
		t.Errorf("empty figures: %d %s", r.StatusCode, raw)
	}
	huge := bytes.Repeat([]byte("2025-09,IN-JP,student,1\n"), (2<<20)/24)
	stok, _, err := small.web.Users().CreateToken(context.Background(), audit.System("test"), small.addUser("ed@example.gov.in", users.Editor).ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if r, out := post2(spec, imp, sb+"/api/v1/imports", csvBody(stok), append([]byte("month,direction,category,count\n"), huge...)); r.StatusCode != 413 {
		t.Errorf("too large: %d %v", r.StatusCode, out)
	}

	spec.covered()
}

func post2(spec *apiSpec, op, u string, h http.Header, body []byte) (*http.Response, map[string]any) {
	spec.t.Helper()
	r, raw := spec.do(request{op: op, method: "POST", url: u, header: h, body: body, validReq: true})
	var out map[string]any
	mustJSON(spec.t, raw, &out)
	return r, out
}

// TestAPIFigures checks the sums, the filters and every refusal of GET /api/v1/figures.
func TestAPIFigures(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	// knownData: 2025-08 IN-JP student 1000; 2025-09 IN-JP engineer (it_software, IN-KA → JP-13) 300,
	// IN-JP engineer 100, IN-JP student 100, JP-IN business 500; 2025-10 IN-JP ssw 200, JP-IN student 300.
	fetch := func(q string, header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/figures?"+q, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp, strings.TrimSpace(string(raw))
	}
	for _, tt := range []struct{ query, want string }{
		{"", `{"rows":[{"month":"2025-08","count":1000},{"month":"2025-09","count":1000},{"month":"2025-10","count":500}],"total":2500,"next":null}`},
		{"group_by=month", `{"rows":[{"month":"2025-08","count":1000},{"month":"2025-09","count":1000},{"month":"2025-10","count":500}],"total":2500,"next":null}`},
		{"group_by=direction", `{"rows":[{"direction":"IN-JP","count":1700},{"direction":"JP-IN","count":800}],"total":2500,"next":null}`},
		{"group_by=category", `{"rows":[{"category":"business","count":500},{"category":"engineer","count":400},{"category":"ssw","count":200},{"category":"student","count":1400}],"total":2500,"next":null}`},
		{"group_by=sector", `{"rows":[{"sector":"","count":2200},{"sector":"it_software","count":300}],"total":2500,"next":null}`},
		{"group_by=origin,destination", `{"rows":[{"origin":"","destination":"","count":2200},{"origin":"IN-KA","destination":"JP-13","count":300}],"total":2500,"next":null}`},
		// Columns come in the canonical order (month, direction, category, sector, origin, destination), however asked.
		{"group_by=direction,month", `{"rows":[{"month":"2025-08","direction":"IN-JP","count":1000},{"month":"2025-09","direction":"IN-JP","count":500},{"month":"2025-09","direction":"JP-IN","count":500},{"month":"2025-10","direction":"IN-JP","count":200},{"month":"2025-10","direction":"JP-IN","count":300}],"total":2500,"next":null}`},
		{"group_by=direction&group_by=month", `{"rows":[{"month":"2025-08","direction":"IN-JP","count":1000},{"month":"2025-09","direction":"IN-JP","count":500},{"month":"2025-09","direction":"JP-IN","count":500},{"month":"2025-10","direction":"IN-JP","count":200},{"month":"2025-10","direction":"JP-IN","count":300}],"total":2500,"next":null}`},
		{"group_by=direction,direction", `{"rows":[{"direction":"IN-JP","count":1700},{"direction":"JP-IN","count":800}],"total":2500,"next":null}`},
		{"from=2025-09", `{"rows":[{"month":"2025-09","count":1000},{"month":"2025-10","count":500}],"total":1500,"next":null}`},
		{"to=2025-08", `{"rows":[{"month":"2025-08","count":1000}],"total":1000,"next":null}`},
		{"from=2025-09&to=2025-09&group_by=category", `{"rows":[{"category":"business","count":500},{"category":"engineer","count":400},{"category":"student","count":100}],"total":1000,"next":null}`},
		{"direction=JP-IN&group_by=category", `{"rows":[{"category":"business","count":500},{"category":"student","count":300}],"total":800,"next":null}`},
		{"category=student&group_by=month,direction", `{"rows":[{"month":"2025-08","direction":"IN-JP","count":1000},{"month":"2025-09","direction":"IN-JP","count":100},{"month":"2025-10","direction":"JP-IN","count":300}],"total":1400,"next":null}`},
		{"sector=it_software", `{"rows":[{"month":"2025-09","count":300}],"total":300,"next":null}`},
		{"origin=IN-KA&destination=JP-13&group_by=category", `{"rows":[{"category":"engineer","count":300}],"total":300,"next":null}`},
		{"destination=JP-13&direction=JP-IN", `{"rows":[],"total":0,"next":null}`},
		{"from=2025-09&to=2025-10&direction=IN-JP&category=engineer&sector=it_software&origin=IN-KA&destination=JP-13&group_by=month", `{"rows":[{"month":"2025-09","count":300}],"total":300,"next":null}`},
		// Codes in any case; a retired region code stands for the current one.
		{"direction=in_jp&category=ENGINEER&group_by=MONTH", `{"rows":[{"month":"2025-09","count":400}],"total":400,"next":null}`},
		{"origin=IN-OR", `{"rows":[],"total":0,"next":null}`},
		{"from=2031-01", `{"rows":[],"total":0,"next":null}`},
	} {
		resp, body := fetch(tt.query)
		if resp.StatusCode != 200 || body != tt.want {
			t.Errorf("figures?%s: %d\n got %s\nwant %s", tt.query, resp.StatusCode, body, tt.want)
		}
	}

	// Refusals: 400, and the message names the parameter.
	for _, tt := range []struct{ query, param string }{
		{"from=2025-13", "from"},
		{"from=Sep%202025", "from"},
		{"to=2025-9", "to"},
		{"from=2025-10&to=2025-09", "to"},
		{"direction=IN-US", "direction"},
		{"category=nurse", "category"},
		{"sector=space", "sector"},
		{"origin=IN-XX", "origin"},
		{"destination=JP-99", "destination"},
		{"group_by=year", "group_by"},
		{"group_by=month,count", "group_by"},
		{"group_by=month&group_by=total", "group_by"},
		{"catgory=ssw", "catgory"},
		{"lang=ja", "lang"},
		{"from=2025-09&from=2025-10", "from"},
	} {
		resp, body := fetch(tt.query)
		var out struct {
			Error  string
			Status int
		}
		json.Unmarshal([]byte(body), &out)
		if resp.StatusCode != 400 || out.Status != 400 || !strings.HasPrefix(out.Error, "parameter "+tt.param+": ") {
			t.Errorf("figures?%s: %d %s; want 400 naming %s", tt.query, resp.StatusCode, body, tt.param)
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("figures?%s: no CORS header on the error", tt.query)
		}
	}
	if _, body := fetch("group_by=month,count"); !strings.Contains(body, `\"count\" is not a column`) {
		t.Errorf("group_by message does not name the bad value: %s", body)
	}

	// Caching: public, an ETag per data version and query; 304 while current.
	resp, _ := fetch("group_by=category,month")
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Cache-Control") != "public, max-age=300, stale-while-revalidate=3600" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("headers: %v", resp.Header)
	}
	if r, body := fetch("group_by=category&group_by=month", "If-None-Match", etag); r.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("same query written another way: %d %s", r.StatusCode, body)
	}
	// The grouping is put in canonical order before the ETag: another order is the same answer.
	if r, body := fetch("group_by=month,category", "If-None-Match", etag); r.StatusCode != http.StatusNotModified || r.Header.Get("ETag") != etag || body != "" {
		t.Errorf("another grouping order: %d, ETag %s", r.StatusCode, r.Header.Get("ETag"))
	}
	if r, _ := fetch("group_by=category,month&limit=2", "If-None-Match", etag); r.StatusCode != 200 || r.Header.Get("ETag") == etag {
		t.Errorf("another page size: %d, ETag %s", r.StatusCode, r.Header.Get("ETag"))
	}
	if r, _ := fetch("group_by=category,month&direction=IN-JP", "If-None-Match", etag); r.StatusCode != 200 {
		t.Errorf("another filter: %d", r.StatusCode)
	}
	e.insertPublished(figures.Figure{Month: "2025-11", Direction: "IN-JP", Category: "student", Count: 7})
	if r, body := fetch("group_by=category,month", "If-None-Match", etag); r.StatusCode != 200 || r.Header.Get("ETag") == etag || !strings.Contains(body, `{"month":"2025-11","category":"student","count":7}`) {
		t.Errorf("after new data: %d, ETag %s\n%s", r.StatusCode, r.Header.Get("ETag"), body)
	}
}

// TestOpenAPIServed checks the document as a file: valid JSON, the right
// content type, and every /api/v1 route the server answers is in it.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("Access-Control-Allow-Origin") != "*" || doc.OpenAPI != "3.1.0" {
		t.Errorf("%s %v", doc.OpenAPI, resp.Header)
	}
	for _, p := range []string{"/api/v1/targets", "/api/v1/targets/{slug}", "/api/v1/figures", "/api/v1/imports", "/api/v1/openapi.json"} {
		if doc.Paths[p] == nil {
			t.Errorf("%s is not documented", p)
		}
	}
}
