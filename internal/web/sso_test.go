package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/users"
)

// person is someone at the test's provider, with ways to spoil the ID token
// the provider signs for them (another nonce, another audience).
type person struct {
	sub, email string
	verified   bool
	groups     []string
	nonce, aud string // when set, put in the ID token instead of the right ones
}

func (p person) ID() string { return p.sub }

func (p person) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": p.sub, "email": p.email})
}

// idClaims are the ID token's claims: the provider's own and the person's.
type idClaims struct {
	*mockoidc.IDTokenClaims
	Email         string   `json:"email,omitempty"`
	EmailVerified bool     `json:"email_verified"`
	Name          string   `json:"name,omitempty"`
	Groups        []string `json:"groups,omitempty"`
}

func (p person) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if p.nonce != "" {
		c.Nonce = p.nonce
	}
	if p.aud != "" {
		c.Audience = jwt.ClaimStrings{p.aud}
	}
	return &idClaims{IDTokenClaims: c, Email: p.email, EmailVerified: p.verified, Name: "Test " + p.sub, Groups: p.groups}, nil
}

// provider is an OpenID Connect provider in the test process, which also
// offers RP-initiated logout at /logout (its discovery document says so).
type provider struct {
	*mockoidc.MockOIDC
	endSession string
}

func newProvider(t *testing.T) *provider {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{MockOIDC: m, endSession: "http://" + ln.Addr().String() + "/oidc/logout"}
	m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.DiscoveryEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			json.Unmarshal(rec.Body.Bytes(), &doc)
			doc["end_session_endpoint"] = p.endSession
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(doc)
		})
	})
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

// newSSOEnv is a server signing in through p, with the rule roles.
func newSSOEnv(t *testing.T, p *provider, roles string, set ...func(*config.Config)) *env {
	t.Helper()
	return newEnvWith(t, func(c *config.Config) {
		c.OIDC = config.OIDC{Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: p.ClientSecret, Name: "MEA Parichay",
			Scopes: config.DefaultOIDCScopes, GroupsClaim: "groups", Roles: roles}
		for _, f := range set {
			f(c)
		}
	})
}

// ssoSignIn goes through the redirects as a browser would: the button, the
// provider (which signs who in), back to HRX. spoil may change the
// provider's answer before the browser brings it back. It returns HRX's
// answer to the callback, and the callback's path and query.
func (b *browser) ssoSignInAt(p *provider, who person, spoil func(q url.Values)) (int, string, string) {
	t := b.e.t
	t.Helper()
	b.get("/login?next=/months")
	st, body := b.post("/auth/oidc/start", url.Values{"next": {"/months"}})
	if st != http.StatusSeeOther {
		t.Fatalf("start: %d %s", st, body)
	}
	auth, _ := url.Parse(b.lastTo)
	q := auth.Query()
	if !strings.HasPrefix(b.lastTo, p.AuthorizationEndpoint()) || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" ||
		q.Get("nonce") == "" || q.Get("state") == "" || q.Get("redirect_uri") != "http://localhost:8080/auth/oidc/callback" {
		t.Fatalf("sent to %s", b.lastTo)
	}
	p.QueueUser(who)
	resp, err := b.c.Get(b.lastTo)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || back.Path != "/auth/oidc/callback" {
		t.Fatalf("the provider answered %d, to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	bq := back.Query()
	if spoil != nil {
		spoil(bq)
	}
	callback := back.Path + "?" + bq.Encode()
	st, body = b.get(callback)
	return st, body, callback
}

// ssoSignIn is ssoSignInAt without the callback.
func (b *browser) ssoSignIn(p *provider, who person, spoil func(q url.Values)) (int, string) {
	b.e.t.Helper()
	st, body, _ := b.ssoSignInAt(p, who, spoil)
	return st, body
}

func TestSSOSignInAndOut(t *testing.T) {
	p := newProvider(t)
	e := newSSOEnv(t, p, "domain:mea.gov.in=editor,group:hrx-admins=admin")
	b := e.browser()
	_, body := b.get("/login")
	mustContain(t, text(body), "Sign in with MEA Parichay", "Password") // both ways in

	// A new person whose domain a rule names gets an account with its role.
	asha := person{sub: "asha-1", email: "Asha@MEA.gov.in", verified: true}
	if st, body := b.ssoSignIn(p, asha, nil); st != http.StatusSeeOther || b.lastTo != "/months" {
		t.Fatalf("sign-in: %d to %q\n%s", st, b.lastTo, body)
	}
	st, body := b.get("/account")
	if st != http.StatusOK || !strings.Contains(body, "asha@mea.gov.in") {
		t.Fatalf("the session does not work: %d", st)
	}
	u, err := e.web.Users().ByEmail(context.Background(), "asha@mea.gov.in")
	if err != nil || u.Role != users.Editor || u.PasswordHash != "" || u.LastLoginAt == nil {
		t.Fatalf("account %+v %v", u, err)
	}
	// The same session rules as a password's: the session row, with its limits.
	var sessions int64
	e.db.R.Table("sessions").Where("user_id = ? AND id_token <> ''", u.ID).Count(&sessions)
	if sessions != 1 {
		t.Errorf("%d single sign-on sessions", sessions)
	}

	// The link is to the provider's person: a new address there is the same account.
	b2 := e.browser()
	asha.email = "asha.k@mea.gov.in"
	if st, _ := b2.ssoSignIn(p, asha, nil); st != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d", st)
	}
	_, body = b2.get("/account")
	mustContain(t, body, "asha@mea.gov.in")

	// Signing out ends the session here and sends the browser to the provider's end of it.
	b.get("/")
	if st, _ := b.post("/logout", nil); st != http.StatusSeeOther || !strings.HasPrefix(b.lastTo, p.endSession+"?") {
		t.Fatalf("sign-out: %d to %s", st, b.lastTo)
	}
	to, _ := url.Parse(b.lastTo)
	if to.Query().Get("id_token_hint") == "" || to.Query().Get("post_logout_redirect_uri") != "http://localhost:8080/" || to.Query().Get("client_id") != p.ClientID {
		t.Errorf("end-session address %s", b.lastTo)
	}
	if st, _ := b.get("/account"); st != http.StatusSeeOther {
		t.Errorf("after sign-out /account answers %d", st)
	}

	// A group the rule names gives its role.
	b3 := e.browser()
	if st, _ := b3.ssoSignIn(p, person{sub: "ravi-2", email: "ravi@example.org", verified: true, groups: []string{"hrx-admins"}}, nil); st != http.StatusSeeOther {
		t.Fatalf("group sign-in: %d", st)
	}
	if u, _ := e.web.Users().ByEmail(context.Background(), "ravi@example.org"); u.Role != users.Admin {
		t.Errorf("group hrx-admins gave %q", u.Role)
	}

	// A password sign-in's sign-out stays here.
	e.addUser("pw@example.gov.in", users.Viewer)
	b4 := e.browser()
	b4.signIn("pw@example.gov.in")
	if st, _ := b4.post("/logout", nil); st != http.StatusSeeOther || b4.lastTo != "/" {
		t.Errorf("password sign-out: %d to %s", st, b4.lastTo)
	}
	checkAuditWords(t, e, "session/sign-in", "identity/link", "user/create", "session/sign-out")
}

func TestSSOExistingAccountByVerifiedEmail(t *testing.T) {
	p := newProvider(t)
	e := newSSOEnv(t, p, "") // no rule: only existing accounts
	e.addUser("approver@mea.gov.in", users.Approver)

	// The provider did not verify the address: no match, refused.
	b := e.browser()
	st, body := b.ssoSignIn(p, person{sub: "s-1", email: "approver@mea.gov.in", verified: false}, nil)
	if st != http.StatusForbidden {
		t.Fatalf("unverified: %d", st)
	}
	mustContain(t, text(body), "has not verified your email address")

	// Verified: linked, signed in with the account's own role.
	if st, _ := b.ssoSignIn(p, person{sub: "s-1", email: "APPROVER@mea.gov.in", verified: true}, nil); st != http.StatusSeeOther {
		t.Fatalf("verified: %d", st)
	}
	_, body = b.get("/account")
	mustContain(t, body, "approver@mea.gov.in")
	if u, _ := e.web.Users().ByEmail(context.Background(), "approver@mea.gov.in"); u.Role != users.Approver {
		t.Errorf("the role became %q", u.Role)
	}
	// Disabled: refused, linked or not.
	u, _ := e.web.Users().ByEmail(context.Background(), "approver@mea.gov.in")
	e.db.W.Table("users").Where("id = ?", u.ID).Update("disabled", true)
	if st, body := e.browser().ssoSignIn(p, person{sub: "s-1", email: "approver@mea.gov.in", verified: true}, nil); st != http.StatusForbidden || !strings.Contains(text(body), "account is disabled") {
		t.Errorf("disabled: %d", st)
	}

	// Unknown and no rule: refused, and nothing made.
	st, body = e.browser().ssoSignIn(p, person{sub: "s-2", email: "new@mea.gov.in", verified: true}, nil)
	if st != http.StatusForbidden || !strings.Contains(text(body), "HRX has no account for you") {
		t.Errorf("unknown: %d\n%s", st, text(body))
	}
	if _, err := e.web.Users().ByEmail(context.Background(), "new@mea.gov.in"); err == nil {
		t.Error("an account was made for an unknown person")
	}
	checkAuditWords(t, e, "session/sign-in-refused", "identity/link")
}

func TestSSORefusals(t *testing.T) {
	p := newProvider(t)
	e := newSSOEnv(t, p, "domain:mea.gov.in=editor")
	who := person{sub: "x-1", email: "x@mea.gov.in", verified: true}
	for _, c := range []struct {
		name   string
		who    person
		spoil  func(url.Values)
		status int
		says   string
	}{
		{"wrong nonce", person{sub: "x-1", email: "x@mea.gov.in", verified: true, nonce: "not-the-one-sent"}, nil, http.StatusForbidden, "was not made for this sign-in"},
		{"wrong audience", person{sub: "x-1", email: "x@mea.gov.in", verified: true, aud: "another-client"}, nil, http.StatusForbidden, "could not be verified"},
		{"bad state", who, func(q url.Values) { q.Set("state", "forged") }, http.StatusUnprocessableEntity, "does not belong to the sign-in this browser started"},
		{"no state", who, func(q url.Values) { q.Del("state") }, http.StatusUnprocessableEntity, "does not belong to the sign-in this browser started"},
		{"bad code", who, func(q url.Values) { q.Set("code", "forged") }, http.StatusForbidden, "could not be verified"},
		{"provider refused", who, func(q url.Values) { q.Del("code"); q.Set("error", "access_denied") }, http.StatusForbidden, "did not sign you in (access_denied"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := e.browser()
			st, body := b.ssoSignIn(p, c.who, c.spoil)
			if st != c.status || !strings.Contains(text(body), c.says) {
				t.Errorf("%d, want %d saying %q:\n%s", st, c.status, c.says, text(body))
			}
			if st, _ := b.get("/account"); st != http.StatusSeeOther {
				t.Errorf("signed in after a refusal: /account answers %d", st)
			}
		})
	}
	// The right answer, brought back twice, or by another browser: used once, by its own browser.
	b := e.browser()
	st, _, callback := b.ssoSignInAt(p, who, nil)
	if st != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", st)
	}
	if st, body := b.get(callback); st != http.StatusUnprocessableEntity || !strings.Contains(text(body), "took too long or was started in another browser") {
		t.Errorf("replayed: %d", st)
	}
	other := e.browser()
	first := e.browser()
	first.ssoSignIn(p, who, func(q url.Values) {
		// Another browser brings this browser's answer back first.
		if st, _ := other.get("/auth/oidc/callback?" + q.Encode()); st != http.StatusUnprocessableEntity {
			t.Errorf("another browser's callback: %d", st)
		}
	})
	if st, _ := other.get("/account"); st != http.StatusSeeOther {
		t.Error("another browser was signed in")
	}
}

func TestSSOAskAnAdmin(t *testing.T) {
	p := newProvider(t)
	e := newSSOEnv(t, p, "domain:mea.gov.in=editor,*=ask")
	e.addUser("admin@mea.gov.in", users.Admin)
	guest := person{sub: "g-1", email: "guest@mofa.go.jp", verified: true, groups: []string{"japan-desk"}}
	st, body := e.browser().ssoSignIn(p, guest, nil)
	if st != http.StatusForbidden || !strings.Contains(text(body), "An administrator must grant it") {
		t.Fatalf("ask: %d\n%s", st, text(body))
	}
	e.browser().ssoSignIn(p, guest, nil) // asking twice is one request

	admin := e.browser()
	admin.signIn("admin@mea.gov.in")
	_, body = admin.get("/admin/users")
	mustContain(t, text(body), "Access requests", "1 person waiting", "guest@mofa.go.jp", "japan-desk")
	reqs, err := e.web.Users().AccessRequests(context.Background())
	if err != nil || len(reqs) != 1 {
		t.Fatalf("requests %v %v", reqs, err)
	}
	id := reqs[0].ID
	if st, _ := admin.post("/admin/access-requests/"+strconv.FormatInt(id, 10)+"/grant", url.Values{"role": {"boss"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("a role that is not one: %d", st)
	}
	if st, _ := admin.post("/admin/access-requests/"+strconv.FormatInt(id, 10)+"/grant", url.Values{"role": {"viewer"}}); st != http.StatusSeeOther {
		t.Fatalf("grant: %d", st)
	}
	_, body = admin.get("/admin/users")
	mustContain(t, text(body), "guest@mofa.go.jp can now sign in, as viewer", "Nobody is waiting for access")

	// Next time the person signs in, as what the administrator gave.
	b := e.browser()
	if st, _ := b.ssoSignIn(p, guest, nil); st != http.StatusSeeOther {
		t.Fatalf("after the grant: %d", st)
	}
	if u, _ := e.web.Users().ByEmail(context.Background(), "guest@mofa.go.jp"); u.Role != users.Viewer {
		t.Errorf("granted role %q", u.Role)
	}

	// A dismissed request is gone; the person may ask again.
	e.browser().ssoSignIn(p, person{sub: "g-2", email: "other@example.com", verified: true}, nil)
	reqs, _ = e.web.Users().AccessRequests(context.Background())
	if len(reqs) != 1 {
		t.Fatalf("requests %v", reqs)
	}
	admin.get("/admin/users")
	if st, _ := admin.post("/admin/access-requests/"+strconv.FormatInt(reqs[0].ID, 10)+"/dismiss", nil); st != http.StatusSeeOther {
		t.Fatalf("dismiss: %d", st)
	}
	if reqs, _ = e.web.Users().AccessRequests(context.Background()); len(reqs) != 0 {
		t.Errorf("left %v", reqs)
	}
	// Not for editors.
	e.addUser("ed@mea.gov.in", users.Editor)
	ed := e.browser()
	ed.signIn("ed@mea.gov.in")
	if st, _ := ed.post("/admin/access-requests/1/grant", url.Values{"role": {"admin"}}); st != http.StatusForbidden {
		t.Errorf("an editor granted access: %d", st)
	}
	checkAuditWords(t, e, "access/request", "access/grant", "access/dismiss")
}

func TestPasswordSignInOff(t *testing.T) {
	p := newProvider(t)
	e := newSSOEnv(t, p, "", func(c *config.Config) {
		c.SignIn = config.SignIn{PasswordsOff: true, BreakGlass: "glass@mea.gov.in"}
	})
	e.addUser("glass@mea.gov.in", users.Admin)
	e.addUser("ed@mea.gov.in", users.Editor)
	b := e.browser()
	_, body := b.get("/login")
	mustContain(t, text(body), "Sign in with MEA Parichay", "Sign-in with a password is turned off")
	if strings.Contains(body, `name="password"`) {
		t.Error("the sign-in page shows the password form")
	}
	_, body = b.get("/login?password=1")
	mustContain(t, body, `name="password"`)

	// Refused on the server, whatever the page shows, even with the right password.
	st, body := b.post("/login", url.Values{"email": {"ed@mea.gov.in"}, "password": {testPassword}})
	if st != http.StatusForbidden || !strings.Contains(text(body), "turned off for this account") {
		t.Errorf("editor's password: %d\n%s", st, text(body))
	}
	if st, _ := b.get("/account"); st != http.StatusSeeOther {
		t.Error("the editor was signed in")
	}
	// The break-glass administrator still signs in with a password.
	b.signIn("GLASS@mea.gov.in")
	if st, _ := b.get("/admin/users"); st != http.StatusOK {
		t.Errorf("break-glass admin: %d", st)
	}
	// And the others through the provider.
	if st, _ := e.browser().ssoSignIn(p, person{sub: "e-1", email: "ed@mea.gov.in", verified: true}, nil); st != http.StatusSeeOther {
		t.Errorf("editor through the provider: %d", st)
	}
}

func TestSSOOff(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	_, body := b.get("/login")
	if strings.Contains(body, "/auth/oidc/start") {
		t.Error("the sign-in page offers single sign-on without a provider")
	}
	if st, _ := b.post("/auth/oidc/start", nil); st != http.StatusNotFound {
		t.Errorf("start without a provider: %d", st)
	}
	if st, _ := b.get("/auth/oidc/callback?state=a&code=b"); st != http.StatusNotFound {
		t.Errorf("callback without a provider: %d", st)
	}
}

// checkAuditWords fails unless each kind of entry was recorded and every
// entry in the log has a sentence of its own.
func checkAuditWords(t *testing.T, e *env, kinds ...string) {
	t.Helper()
	all, err := audit.NewStore(e.db).List(context.Background(), audit.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, en := range all {
		seen[en.Entity+"/"+en.Action] = true
		if m := audit.Describe(en, audit.Names{}); !audit.Known(en.Entity, en.Action) || m.ID == "audit.what.unknown" {
			t.Errorf("no sentence of its own for %s %s %s: %s", en.Action, en.Entity, en.EntityKey, m)
		}
	}
	for _, k := range kinds {
		if !seen[k] {
			t.Errorf("no %s in the audit log", k)
		}
	}
	if seen["session/sign-in"] {
		var buf bytes.Buffer
		for _, en := range all {
			if en.Entity == "session" && en.Action == "sign-in" && strings.Contains(en.After, `"oidc"`) {
				buf.WriteString(audit.Describe(en, audit.Names{}).String())
			}
		}
		if kinds[0] == "session/sign-in" && !strings.Contains(buf.String(), "Signed in through "+"http://") {
			t.Errorf("a single sign-on's entry reads %q", buf.String())
		}
	}
}
