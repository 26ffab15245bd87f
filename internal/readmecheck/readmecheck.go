// Package readmecheck reads the shell examples of README.md and compares the
// output each shows with what its command prints, so that the README's
// examples stay true. Its test runs every example against a fresh
// demonstration database and a real hrx serve on loopback.
//
// The convention, also described at the top of README.md:
//
//   - A fenced block in a shell language (console, sh, shell, bash) is an
//     example. Each line starting with "$ " is a command, run with bash; a
//     command line ending in a backslash goes on onto the next line. The lines
//     after a command, up to the next "$ " or the end of the block, are what
//     it prints (standard output and standard error together).
//   - Blocks in any other language (json, csv, html, yaml, …) are not run.
//   - <!-- readme-check: skip: REASON --> on the line before a block (blank
//     lines between are allowed) leaves the block out; the reason is required.
//   - In an expected line, a placeholder (<id>, <n>, <token>, <hash>, <time>,
//     <date>, <version>, <path>, <url>, <text>) matches any text on that line,
//     and a line that is only "…" matches any number of lines.
//   - When the expected output is JSON, it is compared as JSON: the order of
//     keys does not matter, a placeholder (quoted or not) matches any value,
//     "…" as an element of an array matches any number of elements and a
//     "…" key lets an object have other keys.
package readmecheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Placeholders are the words that, between angle brackets, stand for text
// that changes from one run to the next.
var Placeholders = []string{"id", "n", "token", "hash", "time", "date", "version", "path", "url", "text"}

// Ellipsis on a line of its own matches any number of lines.
const Ellipsis = "…"

// A Block is one fenced shell block of the README.
type Block struct {
	Line     int    // the line of its opening fence, from 1
	Lang     string // the fence's language: console, sh, …
	Skip     string // the reason given for leaving it out, or ""
	Commands []Command
}

// A Command is one "$ " line (with its continuation lines) and the output the
// README shows for it.
type Command struct {
	Line int      // the line of its "$ "
	Text string   // the command, without "$ ", continuation lines joined by newlines
	Want []string // the expected output, trailing blank lines removed
}

var shellLangs = []string{"console", "sh", "shell", "bash", "shell-session"}

var skipRe = regexp.MustCompile(`^<!--\s*readme-check:\s*(.*?)\s*-->$`)

// Parse reads every fenced shell block of a README. It refuses a skip mark
// without a reason or not followed by a shell block, and a shell block that is
// not skipped but has text before its first "$ " or no "$ " at all.
func Parse(readme string) ([]Block, error) {
	lines := strings.Split(strings.ReplaceAll(readme, "\r\n", "\n"), "\n")
	var blocks []Block
	var errs []string
	skip, skipLine := "", 0
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if m := skipRe.FindStringSubmatch(line); m != nil {
			reason, ok := strings.CutPrefix(m[1], "skip")
			reason = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(reason), ":"))
			if strings.HasPrefix(reason, "(") && strings.HasSuffix(reason, ")") {
				reason = reason[1 : len(reason)-1] // skip (REASON)
			}
			switch {
			case !ok:
				errs = append(errs, fmt.Sprintf("line %d: readme-check knows only “skip: REASON”, not %q", i+1, m[1]))
			case strings.TrimSpace(reason) == "":
				errs = append(errs, fmt.Sprintf("line %d: a skipped block needs its reason: <!-- readme-check: skip: REASON -->", i+1))
			default:
				skip, skipLine = strings.TrimSpace(reason), i+1
			}
			continue
		}
		if !strings.HasPrefix(line, "```") {
			if line != "" && skip != "" {
				errs = append(errs, fmt.Sprintf("line %d: the skip mark is not followed by a shell block", skipLine))
				skip = ""
			}
			continue
		}
		fields := strings.Fields(strings.TrimLeft(line, "`"))
		lang := ""
		if len(fields) > 0 {
			lang = strings.ToLower(fields[0])
		}
		start := i
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "```"); i++ {
			body = append(body, lines[i])
		}
		if !slices.Contains(shellLangs, lang) {
			if skip != "" {
				errs = append(errs, fmt.Sprintf("line %d: the skip mark is not followed by a shell block", skipLine))
			}
			skip = ""
			continue
		}
		b := Block{Line: start + 1, Lang: lang, Skip: skip}
		skip = ""
		cmds, err := parseBody(body, start+2)
		if b.Skip == "" && err != nil {
			errs = append(errs, err.Error())
		}
		b.Commands = cmds
		blocks = append(blocks, b)
	}
	if skip != "" {
		errs = append(errs, fmt.Sprintf("line %d: the skip mark is not followed by a shell block", skipLine))
	}
	if len(errs) > 0 {
		return blocks, fmt.Errorf("README examples: %s", strings.Join(errs, "; "))
	}
	return blocks, nil
}

func parseBody(body []string, first int) ([]Command, error) {
	var cmds []Command
	for j := 0; j < len(body); j++ {
		text, ok := strings.CutPrefix(body[j], "$ ")
		if !ok {
			if len(cmds) == 0 {
				if strings.TrimSpace(body[j]) == "" {
					continue
				}
				return nil, fmt.Errorf("line %d: a shell example's commands start with \"$ \" (the lines after one are its output); "+
					"to leave the block out, put <!-- readme-check: skip: REASON --> before it", first+j)
			}
			c := &cmds[len(cmds)-1]
			c.Want = append(c.Want, strings.TrimRight(body[j], " \t"))
			continue
		}
		c := Command{Line: first + j, Text: text}
		for strings.HasSuffix(strings.TrimRight(c.Text, " \t"), `\`) && j+1 < len(body) {
			j++
			c.Text += "\n" + body[j]
		}
		cmds = append(cmds, c)
	}
	if len(cmds) == 0 {
		return nil, fmt.Errorf("line %d: a shell block without \"$ \" commands: write each command as \"$ command\" "+
			"followed by its output, or put <!-- readme-check: skip: REASON --> before it", first-1)
	}
	for k := range cmds {
		cmds[k].Want = trimBlank(cmds[k].Want)
	}
	return cmds, nil
}

func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// Lines splits a command's output into lines without trailing blanks, and
// without the blank lines at its end.
func Lines(out string) []string {
	out = strings.ReplaceAll(out, "\r\n", "\n")
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		lines = append(lines, strings.TrimRight(l, " \t"))
	}
	return trimBlank(lines)
}

var placeholderRe = regexp.MustCompile(`<(?:` + strings.Join(Placeholders, "|") + `)>`)

// linePattern turns an expected line into a pattern in which each placeholder
// matches any text.
func linePattern(want string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range placeholderRe.FindAllStringIndex(want, -1) {
		b.WriteString(regexp.QuoteMeta(want[last:loc[0]]))
		b.WriteString(".+?")
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(want[last:]))
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// Match says how the output a command printed differs from what the README
// shows, or nil when it matches.
func Match(want []string, got string) error {
	want = trimBlank(want)
	joined := strings.TrimSpace(strings.Join(want, "\n"))
	if strings.HasPrefix(joined, "{") || strings.HasPrefix(joined, "[") {
		if w, err := decodeJSON(quotePlaceholders(joined)); err == nil {
			g, err := decodeJSON(strings.TrimSpace(got))
			if err != nil {
				return fmt.Errorf("the README shows JSON, but the command printed something else:\n%s", got)
			}
			if path, ok := matchJSON(w, g, "$"); !ok {
				return fmt.Errorf("the JSON differs at %s:\nREADME:  %s\nprinted: %s", path, compact(joined), compact(got))
			}
			return nil
		}
	}
	gotLines := Lines(got)
	if !matchLines(want, gotLines) {
		return fmt.Errorf("the output differs:\n%s", diff(want, gotLines))
	}
	return nil
}

func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == Ellipsis {
		for k := 0; k <= len(got); k++ {
			if matchLines(want[1:], got[k:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && linePattern(want[0]).MatchString(got[0]) && matchLines(want[1:], got[1:])
}

// diff shows the expected and printed lines side by side, marking the first
// line that differs.
func diff(want, got []string) string {
	var b strings.Builder
	first := -1
	for k := 0; k < max(len(want), len(got)); k++ {
		if k >= len(want) || k >= len(got) || (strings.TrimSpace(want[k]) != Ellipsis && !linePattern(want[k]).MatchString(got[k])) {
			first = k
			break
		}
	}
	b.WriteString("README:\n")
	for k, l := range want {
		b.WriteString(mark(k, first) + l + "\n")
	}
	b.WriteString("printed:\n")
	for k, l := range got {
		b.WriteString(mark(k, first) + l + "\n")
	}
	return b.String()
}

func mark(k, first int) string {
	if k == first {
		return "> "
	}
	return "  "
}

// quotePlaceholders puts quotes around the placeholders that stand outside a
// JSON string (`"import_id":<id>`), so that the expected text is JSON.
func quotePlaceholders(s string) string {
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			b.WriteByte(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
		}
		if c == '<' {
			if loc := placeholderRe.FindStringIndex(s[i:]); loc != nil && loc[0] == 0 {
				b.WriteString(`"` + s[i:i+loc[1]] + `"`)
				i += loc[1] - 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func decodeJSON(s string) (any, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// compact writes JSON on one line, cut after 2,000 bytes.
func compact(s string) string {
	var b bytes.Buffer
	if json.Compact(&b, []byte(strings.TrimSpace(s))) != nil {
		b.Reset()
		b.WriteString(strings.TrimSpace(s))
	}
	if b.Len() > 2000 {
		return strings.ToValidUTF8(string(b.Bytes()[:2000]), "") + "…"
	}
	return b.String()
}

// matchJSON compares an expected JSON value with a printed one and says where
// they first differ.
func matchJSON(want, got any, path string) (string, bool) {
	if s, ok := want.(string); ok && placeholderRe.MatchString(s) {
		if placeholderRe.FindString(s) == s {
			return "", true // a whole value: any value
		}
		g, ok := got.(string)
		if !ok || !linePattern(s).MatchString(g) {
			return path, false
		}
		return "", true
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return path, false
		}
		_, open := w[Ellipsis]
		for k, wv := range w {
			if k == Ellipsis {
				continue
			}
			gv, ok := g[k]
			if !ok {
				return path + "." + k + " (not printed)", false
			}
			if p, ok := matchJSON(wv, gv, path+"."+k); !ok {
				return p, false
			}
		}
		if !open {
			for k := range g {
				if _, ok := w[k]; !ok {
					return path + "." + k + " (printed, not in the README)", false
				}
			}
		}
		return "", true
	case []any:
		g, ok := got.([]any)
		if !ok {
			return path, false
		}
		return matchArray(w, g, path, 0)
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) || fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
			return path, false
		}
		return "", true
	}
}

// matchArray matches the elements of want from index i on, where an element
// "…" stands for any number of printed elements.
func matchArray(want, got []any, path string, i int) (string, bool) {
	if len(want) == 0 {
		if len(got) == 0 {
			return "", true
		}
		return fmt.Sprintf("%s[%d] (more elements printed)", path, i), false
	}
	if s, ok := want[0].(string); ok && s == Ellipsis {
		var first string
		for k := 0; k <= len(got); k++ {
			p, ok := matchArray(want[1:], got[k:], path, i+k)
			if ok {
				return "", true
			}
			if first == "" {
				first = p
			}
		}
		return first, false
	}
	if len(got) == 0 {
		return fmt.Sprintf("%s[%d] (fewer elements printed)", path, i), false
	}
	if p, ok := matchJSON(want[0], got[0], fmt.Sprintf("%s[%d]", path, i)); !ok {
		return p, false
	}
	return matchArray(want[1:], got[1:], path, i+1)
}
