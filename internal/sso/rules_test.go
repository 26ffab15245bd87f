package sso

import (
	"strings"
	"testing"

	"hrx/internal/users"
)

func TestParseRules(t *testing.T) {
	rs, err := ParseRules(" domain:MEA.gov.in=Editor, group:HRX-Admins=admin,email:a.b@x.in=approver, domain:*.gov.in=viewer, *=ask ,")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.String())
	}
	want := "domain:mea.gov.in=editor group:HRX-Admins=admin email:a.b@x.in=approver domain:*.gov.in=viewer *=ask"
	if strings.Join(got, " ") != want {
		t.Errorf("rules read as %q, want %q", strings.Join(got, " "), want)
	}
	if rs, err := ParseRules(""); err != nil || len(rs) != 0 {
		t.Errorf("empty rule: %v %v", rs, err)
	}
	for _, bad := range []string{
		"domain:mea.gov.in",        // no outcome
		"domain:mea.gov.in=boss",   // no such role
		"domain:mea.gov.in=refuse", // refusal is what no rule means
		"org:mea=editor",           // no such match
		"domain:=editor",           // nothing to match
		"group:=editor",            // nothing to match
		"mea.gov.in=editor",        // no kind
		"domain:*.=viewer",         // an empty suffix
	} {
		if _, err := ParseRules(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		} else if !strings.Contains(err.Error(), "HRX_OIDC_ROLES") {
			t.Errorf("%q: the error does not name the setting: %v", bad, err)
		}
	}
}

func TestAdmit(t *testing.T) {
	rules, err := ParseRules("domain:mea.gov.in=editor,group:hrx-admins=admin,email:chief@mofa.go.jp=approver,domain:*.gov.in=viewer,domain:mofa.go.jp=ask")
	if err != nil {
		t.Fatal(err)
	}
	withAsk, _ := ParseRules("domain:mea.gov.in=editor,*=ask")
	for _, c := range []struct {
		rules    Rules
		email    string
		verified bool
		groups   []string
		role     users.Role
		ask      bool
		rule     string
	}{
		{rules, "a@mea.gov.in", true, nil, users.Editor, false, "domain:mea.gov.in=editor"},
		{rules, "A@MEA.gov.in", true, nil, users.Editor, false, "domain:mea.gov.in=editor"},
		{rules, "a@mea.gov.in", true, []string{"hrx-admins"}, users.Admin, false, "group:hrx-admins=admin"},    // the most trusted role wins
		{rules, "a@mea.gov.in", true, []string{"HRX-ADMINS"}, users.Editor, false, "domain:mea.gov.in=editor"}, // groups match exactly
		{rules, "a@labour.gov.in", true, nil, users.Viewer, false, "domain:*.gov.in=viewer"},                   // a subdomain
		{rules, "a@gov.in", true, nil, users.Viewer, false, "domain:*.gov.in=viewer"},                          // the domain itself
		{rules, "a@notgov.in", true, nil, "", false, ""},                                                       // not a subdomain
		{rules, "a@mea.gov.in.example.com", true, nil, "", false, ""},                                          // a look-alike
		{rules, "chief@mofa.go.jp", true, nil, users.Approver, false, "email:chief@mofa.go.jp=approver"},       // a role beats ask
		{rules, "staff@mofa.go.jp", true, nil, "", true, "domain:mofa.go.jp=ask"},                              // ask
		{rules, "a@mea.gov.in", false, nil, "", false, ""},                                                     // unverified: no domain rule
		{rules, "a@mea.gov.in", false, []string{"hrx-admins"}, users.Admin, false, "group:hrx-admins=admin"},   // groups still count
		{rules, "a@example.com", true, nil, "", false, ""},                                                     // refused
		{withAsk, "a@example.com", false, nil, "", true, "*=ask"},                                              // anyone may ask
		{withAsk, "a@mea.gov.in", true, nil, users.Editor, false, "domain:mea.gov.in=editor"},
		{nil, "a@mea.gov.in", true, []string{"hrx-admins"}, "", false, ""}, // no rules: nobody new
	} {
		got := c.rules.Admit(c.email, c.verified, c.groups)
		if got.Role != c.role || got.Ask != c.ask || got.Rule != c.rule {
			t.Errorf("%s (verified %v, groups %v): got %+v, want role %q ask %v rule %q", c.email, c.verified, c.groups, got, c.role, c.ask, c.rule)
		}
	}
}
