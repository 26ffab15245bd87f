package config

import (
	"slices"
	"strings"
	"testing"
)

func TestParseOIDC(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	c, err := FromEnv(env())
	if err != nil || c.OIDC.Enabled() || c.SignIn.PasswordsOff || !c.SignIn.PasswordAllowed("anyone@example.gov.in") {
		t.Fatalf("nothing set: %+v %+v %v", c.OIDC, c.SignIn, err)
	}
	c, err = FromEnv(env("HRX_OIDC_ISSUER", "https://sso.example.gov.in/realms/mea/", "HRX_OIDC_CLIENT_ID", "hrx",
		"HRX_OIDC_CLIENT_SECRET", "s3cret", "HRX_OIDC_SCOPES", "email groups openid",
		"HRX_PASSWORD_SIGNIN", "OFF", "HRX_BREAKGLASS_EMAIL", " Admin@Example.gov.in "))
	if err != nil {
		t.Fatal(err)
	}
	o := c.OIDC
	if o.Issuer != "https://sso.example.gov.in/realms/mea" || o.Name != "sso.example.gov.in" || o.GroupsClaim != "groups" ||
		!slices.Equal(o.Scopes, []string{"openid", "email", "groups"}) {
		t.Errorf("read as %+v", o)
	}
	if !c.SignIn.PasswordsOff || !c.SignIn.PasswordAllowed("admin@example.gov.in") || c.SignIn.PasswordAllowed("ed@example.gov.in") {
		t.Errorf("sign-in read as %+v", c.SignIn)
	}
	for _, bad := range []struct {
		env  func(string) string
		says string
	}{
		{env("HRX_OIDC_CLIENT_ID", "hrx"), "HRX_OIDC_ISSUER is needed"},
		{env("HRX_OIDC_ISSUER", "sso.example.gov.in", "HRX_OIDC_CLIENT_ID", "hrx"), "issuer URL"},
		{env("HRX_OIDC_ISSUER", "https://sso.example.gov.in"), "HRX_OIDC_CLIENT_ID is needed"},
		{env("HRX_PASSWORD_SIGNIN", "off", "HRX_BREAKGLASS_EMAIL", "a@example.gov.in"), "needs single sign-on"},
		{env("HRX_OIDC_ISSUER", "https://sso.example.gov.in", "HRX_OIDC_CLIENT_ID", "hrx", "HRX_PASSWORD_SIGNIN", "off"), "needs HRX_BREAKGLASS_EMAIL"},
		{env("HRX_PASSWORD_SIGNIN", "no"), "on or off"},
	} {
		if _, err := FromEnv(bad.env); err == nil || !strings.Contains(err.Error(), bad.says) {
			t.Errorf("want an error saying %q; got %v", bad.says, err)
		}
	}
}
