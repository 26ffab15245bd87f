// Package deploy holds the files to run HRX as several instances behind a
// proxy (compose.yaml, nginx.conf); its test checks that they fit together.
package deploy

import (
	"net"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// compose is the part of compose.yaml the test reads.
type compose struct {
	Services map[string]struct {
		Image       string `yaml:"image"`
		Build       *struct{ Context, Dockerfile string }
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		DependsOn   any               `yaml:"depends_on"`
		Networks    []string          `yaml:"networks"`
	} `yaml:"services"`
	Networks map[string]struct {
		IPAM struct {
			Config []struct{ Subnet string } `yaml:"config"`
		} `yaml:"ipam"`
	} `yaml:"networks"`
	Volumes map[string]any `yaml:"volumes"`
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestComposeFitsTogether: two HRX instances built from the Dockerfile on the
// one PostgreSQL database, trusting the proxy's network only, every HRX_
// variable one the README documents, and nginx sending to both, terminating
// TLS with the mounted certificate and caching the widgets.
func TestComposeFitsTogether(t *testing.T) {
	var c compose
	if err := yaml.Unmarshal([]byte(read(t, "compose.yaml")), &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, name := range []string{"db", "hrx-a", "hrx-b", "proxy"} {
		if _, ok := c.Services[name]; !ok {
			t.Fatalf("compose.yaml has no service %q", name)
		}
	}
	net0 := c.Networks["hrx"]
	if len(net0.IPAM.Config) != 1 {
		t.Fatal("compose.yaml: the hrx network needs one fixed subnet (HRX_TRUSTED_PROXIES names it)")
	}
	_, subnet, err := net.ParseCIDR(net0.IPAM.Config[0].Subnet)
	if err != nil {
		t.Fatal(err)
	}
	readme := read(t, "../README.md")
	a, b := c.Services["hrx-a"], c.Services["hrx-b"]
	for name, s := range map[string]struct {
		env   map[string]string
		build bool
	}{"hrx-a": {a.Environment, a.Build != nil}, "hrx-b": {b.Environment, b.Build != nil}} {
		if !s.build {
			t.Errorf("%s is not built from the Dockerfile", name)
		}
		if !strings.HasPrefix(s.env["HRX_DATABASE_URL"], "postgres://") || !strings.Contains(s.env["HRX_DATABASE_URL"], "@db:5432/") {
			t.Errorf("%s: HRX_DATABASE_URL %q is not the db service's PostgreSQL", name, s.env["HRX_DATABASE_URL"])
		}
		if p, _, err := net.ParseCIDR(s.env["HRX_TRUSTED_PROXIES"]); err != nil || !subnet.Contains(p) {
			t.Errorf("%s: HRX_TRUSTED_PROXIES %q is not the proxy's network %s", name, s.env["HRX_TRUSTED_PROXIES"], subnet)
		}
		for k := range s.env {
			if !strings.Contains(readme, "`"+k+"`") {
				t.Errorf("%s sets %s, which the README's configuration table does not name", name, k)
			}
		}
		for _, k := range []string{"HRX_BASE_URL", "HRX_SMTP_URL", "HRX_MAIL_FROM"} {
			if _, ok := s.env[k]; !ok {
				t.Errorf("%s does not set %s", name, k)
			}
		}
	}
	if len(a.Environment) != len(b.Environment) {
		t.Errorf("hrx-a and hrx-b have different settings: %v and %v", a.Environment, b.Environment)
	}
	for k, v := range a.Environment {
		if b.Environment[k] != v {
			t.Errorf("hrx-a and hrx-b differ in %s", k)
		}
	}

	// The variables the file takes are those env.example lists.
	vars := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{([A-Z_]+)`).FindAllStringSubmatch(read(t, "compose.yaml"), -1) {
		vars[m[1]] = true
	}
	example := map[string]bool{}
	for _, line := range strings.Split(read(t, "env.example"), "\n") {
		if k, _, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			example[k] = true
			if !vars[k] {
				t.Errorf("env.example sets %s, which compose.yaml does not use", k)
			}
		}
	}
	for k := range vars {
		if !example[k] {
			t.Errorf("compose.yaml uses ${%s}, which env.example does not list", k)
		}
	}

	proxy := c.Services["proxy"]
	if !slices.ContainsFunc(proxy.Ports, func(p string) bool { return strings.HasSuffix(p, ":443") }) {
		t.Errorf("the proxy does not publish 443: %v", proxy.Ports)
	}
	mounts := map[string]string{}
	for _, v := range proxy.Volumes {
		parts := strings.Split(v, ":")
		mounts[parts[0]] = parts[1]
	}
	if mounts["./nginx.conf"] == "" || mounts["./certs"] == "" {
		t.Fatalf("the proxy does not mount nginx.conf and certs: %v", proxy.Volumes)
	}

	conf := read(t, "nginx.conf")
	upstream := regexp.MustCompile(`(?s)upstream hrx \{(.*?)\}`).FindStringSubmatch(conf)
	if upstream == nil {
		t.Fatal("nginx.conf has no upstream hrx")
	}
	for _, name := range []string{"hrx-a", "hrx-b"} {
		if !strings.Contains(upstream[1], "server "+name+":8080") {
			t.Errorf("nginx.conf's upstream does not send to %s:8080", name)
		}
	}
	for _, m := range regexp.MustCompile(`ssl_certificate(?:_key)?\s+(\S+);`).FindAllStringSubmatch(conf, -1) {
		if !strings.HasPrefix(m[1], mounts["./certs"]+"/") {
			t.Errorf("nginx.conf reads %s, outside the mounted certificates %s", m[1], mounts["./certs"])
		}
	}
	cached := regexp.MustCompile(`(?s)location ~ \^/\(embed/[^{]*\{[^}]*proxy_cache hrx_widgets;`).MatchString(conf)
	if !cached || !strings.Contains(conf, "keys_zone=hrx_widgets:") {
		t.Error("nginx.conf does not cache /embed/ in the hrx_widgets zone")
	}
	if !strings.Contains(conf, "proxy_set_header X-Forwarded-For") || !strings.Contains(conf, "listen 443 ssl") {
		t.Error("nginx.conf must end TLS on 443 and pass X-Forwarded-For")
	}
}
