package config

import (
	"fmt"
	"net/url"
	"strings"
)

// OIDC is single sign-on through an OpenID Connect provider: HRX_OIDC_…,
// parsed once. The zero value (no HRX_OIDC_ISSUER) turns it off.
type OIDC struct {
	Issuer       string   // the provider's issuer URL, e.g. https://sso.example.gov.in/realms/mea
	ClientID     string   // HRX's client id at the provider; the ID token's audience
	ClientSecret string   // HRX's client secret at the provider
	Name         string   // the provider as the sign-in button names it ("Sign in with NAME")
	Scopes       []string // what HRX asks for; always with openid
	GroupsClaim  string   // the ID token claim that lists a person's groups
	// Roles is the rule that gives a person a role at their first sign-in
	// (HRX_OIDC_ROLES), parsed and checked by internal/sso.
	Roles string
}

// Enabled reports whether single sign-on is configured.
func (o OIDC) Enabled() bool { return o.Issuer != "" }

// DefaultOIDCScopes are the scopes asked for unless HRX_OIDC_SCOPES says otherwise.
var DefaultOIDCScopes = []string{"openid", "email", "profile"}

// ParseOIDC reads the single sign-on settings through getenv; without
// HRX_OIDC_ISSUER the others must be empty too, so a half-made setting is
// refused rather than ignored.
func ParseOIDC(getenv func(string) string) (OIDC, error) {
	o := OIDC{
		Issuer:       strings.TrimRight(strings.TrimSpace(getenv("HRX_OIDC_ISSUER")), "/"),
		ClientID:     strings.TrimSpace(getenv("HRX_OIDC_CLIENT_ID")),
		ClientSecret: strings.TrimSpace(getenv("HRX_OIDC_CLIENT_SECRET")),
		Name:         strings.TrimSpace(getenv("HRX_OIDC_NAME")),
		GroupsClaim:  strings.TrimSpace(getenv("HRX_OIDC_GROUPS_CLAIM")),
		Roles:        strings.TrimSpace(getenv("HRX_OIDC_ROLES")),
	}
	scopes := strings.TrimSpace(getenv("HRX_OIDC_SCOPES"))
	if o.Issuer == "" {
		if o.ClientID != "" || o.ClientSecret != "" || o.Roles != "" || scopes != "" || o.Name != "" || o.GroupsClaim != "" {
			return OIDC{}, fmt.Errorf("HRX_OIDC_ISSUER is needed with the other HRX_OIDC_ settings")
		}
		return OIDC{}, nil
	}
	u, err := url.Parse(o.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return OIDC{}, fmt.Errorf("HRX_OIDC_ISSUER must be the provider's issuer URL, such as https://sso.example.gov.in/realms/mea; got %q", o.Issuer)
	}
	if o.ClientID == "" {
		return OIDC{}, fmt.Errorf("HRX_OIDC_CLIENT_ID is needed with HRX_OIDC_ISSUER")
	}
	if o.Name == "" {
		o.Name = u.Hostname()
	}
	if o.GroupsClaim == "" {
		o.GroupsClaim = "groups"
	}
	o.Scopes = DefaultOIDCScopes
	if scopes != "" {
		o.Scopes = []string{"openid"}
		for _, s := range strings.FieldsFunc(scopes, func(r rune) bool { return r == ',' || r == ' ' }) {
			if s != "openid" {
				o.Scopes = append(o.Scopes, s)
			}
		}
	}
	return o, nil
}

// SignIn is who may sign in with a password: HRX_PASSWORD_SIGNIN and HRX_BREAKGLASS_EMAIL.
type SignIn struct {
	// PasswordsOff refuses password sign-in to everyone but BreakGlass.
	PasswordsOff bool
	// BreakGlass is the one account (an administrator's) that keeps its
	// password when PasswordsOff, for when the provider is down.
	BreakGlass string
}

// PasswordAllowed reports whether an e-mail address may sign in with a password.
func (s SignIn) PasswordAllowed(email string) bool {
	return !s.PasswordsOff || strings.EqualFold(strings.TrimSpace(email), s.BreakGlass)
}

// parseSignIn reads HRX_PASSWORD_SIGNIN (on, the default, or off) and
// HRX_BREAKGLASS_EMAIL; passwords are turned off only with single sign-on on
// and a break-glass account named, so that nobody is locked out.
func parseSignIn(getenv func(string) string, o OIDC) (SignIn, error) {
	var s SignIn
	s.BreakGlass = strings.ToLower(strings.TrimSpace(getenv("HRX_BREAKGLASS_EMAIL")))
	switch v := strings.ToLower(strings.TrimSpace(getenv("HRX_PASSWORD_SIGNIN"))); v {
	case "", "on":
	case "off":
		s.PasswordsOff = true
	default:
		return s, fmt.Errorf("HRX_PASSWORD_SIGNIN must be on or off; got %q", v)
	}
	if s.PasswordsOff && !o.Enabled() {
		return s, fmt.Errorf("HRX_PASSWORD_SIGNIN=off needs single sign-on (HRX_OIDC_ISSUER), or nobody could sign in")
	}
	if s.PasswordsOff && !strings.Contains(s.BreakGlass, "@") {
		return s, fmt.Errorf("HRX_PASSWORD_SIGNIN=off needs HRX_BREAKGLASS_EMAIL, the administrator who keeps a password for when the provider is down")
	}
	return s, nil
}
