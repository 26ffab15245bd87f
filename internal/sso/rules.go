package sso

import (
	"fmt"
	"slices"
	"strings"

	"hrx/internal/users"
)

// Rules decide what a person the provider vouches for, who has no account
// yet, is given at their first sign-in (HRX_OIDC_ROLES). The text is a
// comma-separated list of MATCH=OUTCOME:
//
//	domain:mea.gov.in=editor        the verified e-mail address is at mea.gov.in
//	domain:*.gov.in=viewer          … at gov.in or any domain under it
//	group:hrx-admins=admin          the groups claim lists hrx-admins
//	email:a.b@mea.gov.in=approver   exactly this verified address
//	*=ask                           anyone
//
// OUTCOME is a role (viewer, editor, approver, admin) or ask (an
// administrator decides at /admin/users). Every rule that matches counts and
// the most trusted role among them wins; ask applies only when no role
// matched; a person no rule matches is refused. Accounts that already exist
// keep their role: the rules make accounts, they never change one.
type Rules []Rule

// Rule is one MATCH=OUTCOME of Rules.
type Rule struct {
	Kind  string // "domain", "group", "email" or "*"
	Value string // lower-case, except groups, which match exactly
	Role  users.Role
	Ask   bool
}

// String is the rule as it was configured.
func (r Rule) String() string {
	out := string(r.Role)
	if r.Ask {
		out = "ask"
	}
	if r.Kind == "*" {
		return "*=" + out
	}
	return r.Kind + ":" + r.Value + "=" + out
}

// ParseRules reads HRX_OIDC_ROLES; an empty text is no rules (every new
// person refused).
func ParseRules(text string) (Rules, error) {
	var rules Rules
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		match, outcome, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("HRX_OIDC_ROLES: %q needs =ROLE or =ask, as in domain:mea.gov.in=editor", part)
		}
		var r Rule
		switch outcome = strings.ToLower(strings.TrimSpace(outcome)); {
		case outcome == "ask":
			r.Ask = true
		case users.Role(outcome).Valid():
			r.Role = users.Role(outcome)
		default:
			return nil, fmt.Errorf("HRX_OIDC_ROLES: %q: %q is not a role (viewer, editor, approver, admin) or ask", part, outcome)
		}
		match = strings.TrimSpace(match)
		if match == "*" {
			r.Kind = "*"
			rules = append(rules, r)
			continue
		}
		kind, value, _ := strings.Cut(match, ":")
		r.Kind, r.Value = strings.ToLower(strings.TrimSpace(kind)), strings.TrimSpace(value)
		switch r.Kind {
		case "domain", "email":
			r.Value = strings.ToLower(r.Value)
		case "group":
		default:
			return nil, fmt.Errorf("HRX_OIDC_ROLES: %q must start with domain:, group:, email: or be *", part)
		}
		if r.Value == "" || r.Value == "*." {
			return nil, fmt.Errorf("HRX_OIDC_ROLES: %q names no %s", part, r.Kind)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// matches reports whether the rule applies to a verified e-mail address and groups.
func (r Rule) matches(email string, groups []string) bool {
	switch r.Kind {
	case "*":
		return true
	case "email":
		return email == r.Value
	case "group":
		return slices.Contains(groups, r.Value)
	case "domain":
		_, domain, _ := strings.Cut(email, "@")
		if rest, ok := strings.CutPrefix(r.Value, "*."); ok {
			return domain == rest || strings.HasSuffix(domain, "."+rest)
		}
		return domain == r.Value
	}
	return false
}

// Admit is what the rules give a person: the most trusted role any matching
// rule gives, else ask when a matching rule says so, else nothing (refused).
// An e-mail address the provider did not verify matches no domain or e-mail rule.
func (rs Rules) Admit(email string, verified bool, groups []string) users.Admission {
	email = users.NormalizeEmail(email)
	if !verified {
		email = ""
	}
	var adm users.Admission
	for _, r := range rs {
		if (r.Kind == "domain" || r.Kind == "email") && email == "" {
			continue
		}
		if !r.matches(email, groups) {
			continue
		}
		switch {
		case r.Ask:
			if !adm.Role.Valid() && !adm.Ask {
				adm.Ask, adm.Rule = true, r.String()
			}
		case !adm.Role.Valid() || r.Role.AtLeast(adm.Role) && r.Role != adm.Role:
			adm = users.Admission{Role: r.Role, Rule: r.String()}
		}
	}
	return adm
}
