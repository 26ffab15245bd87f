package readmecheck

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	readme := strings.Join([]string{
		"# Title",
		"```console",
		"$ hrx version",
		"hrx <version>",
		"",
		"$ echo a \\",
		"    b",
		"a b",
		"```",
		"```json",
		`{"not": "run"}`,
		"```",
		"<!-- readme-check: skip: needs Docker -->",
		"",
		"```sh",
		"docker build -t hrx .",
		"```",
		"```sh",
		"$ true",
		"```",
	}, "\n")
	blocks, err := Parse(readme)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 3 {
		t.Fatalf("got %d blocks, want 3: %+v", len(blocks), blocks)
	}
	b := blocks[0]
	if b.Line != 2 || b.Lang != "console" || b.Skip != "" || len(b.Commands) != 2 {
		t.Fatalf("first block: %+v", b)
	}
	if c := b.Commands[0]; c.Line != 3 || c.Text != "hrx version" || strings.Join(c.Want, "|") != "hrx <version>" {
		t.Errorf("first command: %+v", c)
	}
	if c := b.Commands[1]; c.Line != 6 || c.Text != "echo a \\\n    b" || strings.Join(c.Want, "|") != "a b" {
		t.Errorf("second command: %+v", c)
	}
	if blocks[1].Skip != "needs Docker" {
		t.Errorf("second block's skip: %q", blocks[1].Skip)
	}
	if c := blocks[2].Commands; len(c) != 1 || len(c[0].Want) != 0 {
		t.Errorf("third block: %+v", blocks[2])
	}
}

func TestParseRefuses(t *testing.T) {
	for name, readme := range map[string]string{
		"no prompt":         "```sh\nhrx version\n```",
		"text before $":     "```console\nhello\n$ hrx version\n```",
		"skip, no reason":   "<!-- readme-check: skip -->\n```sh\nhrx version\n```",
		"skip, empty":       "<!-- readme-check: skip: -->\n```sh\nhrx version\n```",
		"unknown mark":      "<!-- readme-check: run twice -->\n```sh\n$ hrx version\n```",
		"skip before prose": "<!-- readme-check: skip: x -->\nSome words.\n```sh\n$ hrx version\n```",
		"skip before json":  "<!-- readme-check: skip: x -->\n```json\n{}\n```",
		"skip at the end":   "text\n<!-- readme-check: skip: x -->\n",
	} {
		if _, err := Parse(readme); err == nil {
			t.Errorf("%s: Parse accepted %q", name, readme)
		}
	}
}

func TestMatchLines(t *testing.T) {
	for _, tc := range []struct {
		want []string
		got  string
		ok   bool
	}{
		{[]string{"published (3): 2025-09"}, "published (3): 2025-09\n", true},
		{[]string{"published (3): 2025-09"}, "published (2): 2025-09\n", false},
		{[]string{"token <token> made"}, "token hrx_abc123 made", true},
		{[]string{"token <token> made"}, "token  made", false},
		{[]string{"HRX <hrx@example.gov.in>"}, "HRX <hrx@example.gov.in>", true},
		{[]string{"HRX <hrx@example.gov.in>"}, "HRX x", false},
		{[]string{"a", Ellipsis, "z"}, "a\nb\nc\nz", true},
		{[]string{"a", Ellipsis, "z"}, "a\nz", true},
		{[]string{"a", Ellipsis, "z"}, "a\nb\ny", false},
		{[]string{"a"}, "a\nb", false},
		{[]string{"a", "b"}, "a", false},
		{nil, "\n\n", true},
		{nil, "something", false},
		{[]string{"a.b"}, "axb", false},
	} {
		err := Match(tc.want, tc.got)
		if (err == nil) != tc.ok {
			t.Errorf("Match(%q, %q) = %v, want ok=%v", tc.want, tc.got, err, tc.ok)
		}
	}
}

func TestMatchJSON(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{`{"a":1,"b":"x"}`, `{"b":"x","a":1}`, true},
		{`{"a":1}`, `{"a":2}`, false},
		{`{"a":1}`, `{"a":"1"}`, false},
		{`{"a":1}`, `{"a":1,"b":2}`, false},
		{`{"a":1,"…":"…"}`, `{"a":1,"b":2}`, true},
		{`{"a":1,"b":2}`, `{"a":1}`, false},
		{`{"id":<id>,"sha256":"<hash>"}`, `{"id":42,"sha256":"ab12"}`, true},
		{`{"url":"http://x/<path>?a=1"}`, `{"url":"http://x/p/q?a=1"}`, true},
		{`{"url":"http://x/<path>?a=1"}`, `{"url":"http://y/p?a=1"}`, false},
		{`{"rows":[1,"…",9]}`, `{"rows":[1,2,3,9]}`, true},
		{`{"rows":[1,"…",9]}`, `{"rows":[1,9]}`, true},
		{`{"rows":[1,"…",9]}`, `{"rows":[1,2,3]}`, false},
		{`{"rows":[1,2]}`, `{"rows":[1,2,3]}`, false},
		{`{"a":null}`, `{"a":null}`, true},
		{`{"a":null}`, `{"a":0}`, false},
		{`{"a":1}`, `not json`, false},
	} {
		err := Match(strings.Split(tc.want, "\n"), tc.got)
		if (err == nil) != tc.ok {
			t.Errorf("Match(%s, %s) = %v, want ok=%v", tc.want, tc.got, err, tc.ok)
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	cmds := []Command{
		{Text: "X=hello; echo $X"},
		{Text: "echo $X again; echo oops >&2; false"},
		{Text: "printf 'no newline'"},
		{Text: "echo at \\\n  localhost:8080"},
	}
	res, err := Run(context.Background(), dir, os.Environ(), cmds, func(s string) string {
		return strings.ReplaceAll(s, "localhost:8080", "127.0.0.1:1")
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Result{{"hello\n", 0}, {"hello again\noops\n", 1}, {"no newline", 0}, {"at 127.0.0.1:1\n", 0}}
	if len(res) != len(want) {
		t.Fatalf("got %d results, want %d: %+v", len(res), len(want), res)
	}
	for k := range want {
		if res[k] != want[k] {
			t.Errorf("command %d: got %+v, want %+v", k, res[k], want[k])
		}
	}
	if _, err := Run(context.Background(), dir, os.Environ(), []Command{{Text: "exit 3"}, {Text: "echo never"}}, func(s string) string { return s }); err == nil {
		t.Error("a block that stops early was not reported")
	}
}
