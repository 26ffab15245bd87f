package cli

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"hrx/internal/config"
)

// readmeSection is the text of README.md's "## title" section, up to the next "## ".
func readmeSection(t *testing.T, readme, title string) string {
	t.Helper()
	i := strings.Index(readme, "\n## "+title+"\n")
	if i < 0 {
		t.Fatalf("README.md has no section %q", title)
	}
	s := readme[i+1:]
	if j := strings.Index(s[3:], "\n## "); j >= 0 {
		s = s[:j+3]
	}
	return s
}

// readmeCode is the code README.md shows: its fenced blocks and `spans`,
// without the lines of other programs (curl, docker, go).
func readmeCode(readme string) string {
	var b strings.Builder
	fenced := false
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			line = strings.TrimPrefix(line, "$ ") // a command of a console example
			if f := strings.Fields(line); len(f) > 0 && slices.Contains([]string{"curl", "docker", "go"}, f[0]) {
				continue
			}
			b.WriteString(line + "\n")
			continue
		}
		for _, m := range regexp.MustCompile("`[^`]+`").FindAllString(line, -1) {
			if !strings.Contains(m, "curl ") && !strings.Contains(m, "go test") {
				b.WriteString(m + "\n")
			}
		}
	}
	return b.String()
}

// TestEverythingIsDocumented: every command, flag and environment variable
// hrx knows is in hrx --help and README.md, and every hrx command, --flag and
// HRX_ variable README.md names is one hrx knows.
func TestEverythingIsDocumented(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	cmdLine := readmeSection(t, readme, "Command line")
	configuration := readmeSection(t, readme, "Configuration")
	var buf bytes.Buffer
	printOverview(&buf)
	help := buf.String()

	// The environment variables are the ones config reads.
	known := map[string]bool{}
	if _, err := config.FromEnv(func(k string) string { known[k] = true; return "" }); err != nil {
		t.Fatal(err)
	}
	for k := range known {
		if !slices.ContainsFunc(envVars, func(e envVar) bool { return e.name == k }) {
			t.Errorf("%s is read by internal/config but not listed in the help's environment (envVars)", k)
		}
		if !regexp.MustCompile("`" + k + `\b`).MatchString(configuration) {
			t.Errorf("%s is not in README.md's Configuration table", k)
		}
	}
	for _, e := range envVars {
		if !known[e.name] {
			t.Errorf("the help lists %s, which hrx does not read", e.name)
		}
		if !strings.Contains(help, e.name) {
			t.Errorf("hrx --help does not name %s", e.name)
		}
	}

	flags := map[string]bool{}
	for _, c := range commands {
		if !strings.Contains(help, "hrx "+c.name) {
			t.Errorf("hrx --help does not show hrx %s", c.name)
		}
		if !strings.Contains(cmdLine, "hrx "+c.name) {
			t.Errorf("README.md's Command line section does not show hrx %s", c.name)
		}
		for _, f := range flagsOf(c) {
			flags[f.Name] = true
			if !strings.Contains(help, "--"+f.Name) {
				t.Errorf("hrx --help does not name --%s (hrx %s)", f.Name, c.name)
			}
			if !regexp.MustCompile(`--` + f.Name + `\b`).MatchString(cmdLine + configuration) {
				t.Errorf("README.md's Command line and Configuration sections do not name --%s (hrx %s)", f.Name, c.name)
			}
		}
	}
	if !strings.Contains(cmdLine, "hrx help") {
		t.Error("README.md's Command line section does not show hrx help")
	}

	// And back: what README.md names exists.
	code := readmeCode(readme)
	for _, m := range regexp.MustCompile(`\bhrx ([a-z]+)(?: ([a-z]+))?`).FindAllStringSubmatch(code, -1) {
		g := group(m[1])
		switch {
		case m[1] == "help":
		case len(g) == 0:
			t.Errorf("README.md shows %q, but hrx has no command %s", m[0], m[1])
		case (len(g) > 1 || g[0].name != m[1]) && m[2] != "": // "hrx month …" names the group
			if !slices.ContainsFunc(g, func(c *command) bool { return c.name == m[1]+" "+m[2] }) {
				t.Errorf("README.md shows %q, but hrx %s has no command %s", m[0], m[1], m[2])
			}
		}
	}
	for _, m := range regexp.MustCompile(`(?:^|[\s\[(`+"`"+`])--([a-z][a-z-]*)`).FindAllStringSubmatch(code, -1) {
		if !flags[m[1]] && m[1] != "help" {
			t.Errorf("README.md shows --%s, which no hrx command takes", m[1])
		}
	}
	for _, v := range regexp.MustCompile(`HRX_[A-Z_]+`).FindAllString(readme, -1) {
		if !known[v] && !strings.HasPrefix(v, "HRX_TEST_") {
			t.Errorf("README.md names %s, which hrx does not read (test-only variables start HRX_TEST_)", v)
		}
	}
}
