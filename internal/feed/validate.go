package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Namespace is Atom's XML namespace.
const Namespace = "http://www.w3.org/2005/Atom"

// Validate checks an Atom feed document against the rules of RFC 4287 that
// a reader relies on, and returns what breaks them (none: valid): well-formed
// XML whose root is atom:feed; exactly one atom:id (an absolute IRI),
// atom:title and atom:updated on the feed and on every entry; dates in RFC
// 3339; text constructs of type text, html or xhtml; every link with an
// href, and at most one alternate link per type and hreflang; an author on
// the feed or on every entry; an entry without content has an alternate
// link; no two entries with the same id and updated time; and a self link.
//
// Go has no RELAX NG validator, so the schema's rules are written out here.
func Validate(doc []byte) []error {
	root, err := parse(doc)
	if err != nil {
		return []error{err}
	}
	var v validator
	if root.Name != (xml.Name{Space: Namespace, Local: "feed"}) {
		v.fail("the root element is %s %s, not atom:feed", root.Name.Space, root.Name.Local)
		return v.errs
	}
	v.common(root, "feed")
	if len(root.children("link", "self")) == 0 {
		v.fail("feed: no link rel=\"self\"")
	}
	feedAuthors := len(root.children("author", ""))
	seen := map[string]bool{}
	for i, e := range root.children("entry", "") {
		where := fmt.Sprintf("entry %d", i+1)
		v.common(e, where)
		if feedAuthors == 0 && len(e.children("author", "")) == 0 {
			v.fail("%s: no atom:author, and the feed has none", where)
		}
		contents := e.children("content", "")
		if len(contents) > 1 {
			v.fail("%s: %d atom:content elements", where, len(contents))
		}
		if len(contents) == 0 && len(e.children("link", "alternate")) == 0 {
			v.fail("%s: neither atom:content nor an alternate link", where)
		}
		for _, c := range contents {
			v.textType(c, where+" content", true)
		}
		key := e.childText("id") + "|" + e.childText("updated")
		if seen[key] {
			v.fail("%s: another entry has the same id and updated time", where)
		}
		seen[key] = true
	}
	return v.errs
}

type validator struct{ errs []error }

func (v *validator) fail(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf(format, args...))
}

// rfc3339 is RFC 3339's date-time, which Atom's date constructs use.
var rfc3339 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// common checks what feeds and entries share: one id, title and updated,
// the optional single elements, dates, text constructs, links and persons.
func (v *validator) common(n *node, where string) {
	for _, name := range []string{"id", "title", "updated"} {
		if k := len(n.children(name, "")); k != 1 {
			v.fail("%s: %d atom:%s elements, want exactly one", where, k, name)
		}
	}
	for _, name := range []string{"subtitle", "rights", "summary", "published", "generator", "icon", "logo"} {
		if k := len(n.children(name, "")); k > 1 {
			v.fail("%s: %d atom:%s elements, want at most one", where, k, name)
		}
	}
	for _, id := range n.children("id", "") {
		if u, err := url.Parse(strings.TrimSpace(id.text)); err != nil || u.Scheme == "" {
			v.fail("%s: atom:id %q is not an absolute IRI", where, id.text)
		}
	}
	for _, name := range []string{"updated", "published"} {
		for _, d := range n.children(name, "") {
			s := strings.TrimSpace(d.text)
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil || !rfc3339.MatchString(s) {
				v.fail("%s: atom:%s %q is not an RFC 3339 date-time", where, name, s)
			}
		}
	}
	for _, name := range []string{"title", "subtitle", "rights", "summary"} {
		for _, t := range n.children(name, "") {
			v.textType(t, where+" "+name, false)
		}
	}
	alternates := map[string]bool{}
	for _, l := range n.children("link", "") {
		href, ok := l.attr("href")
		if _, err := url.Parse(href); !ok || err != nil {
			v.fail("%s: a link without a valid href", where)
		}
		if l.rel() == "alternate" {
			typ, _ := l.attr("type")
			lang, _ := l.attr("hreflang")
			if alternates[typ+"|"+lang] {
				v.fail("%s: more than one alternate link of type %q and hreflang %q", where, typ, lang)
			}
			alternates[typ+"|"+lang] = true
		}
	}
	for _, name := range []string{"author", "contributor"} {
		for _, p := range n.children(name, "") {
			if k := len(p.children("name", "")); k != 1 {
				v.fail("%s: atom:%s has %d atom:name elements, want one", where, name, k)
			}
		}
	}
}

// textType checks a text construct's type (and content's media type).
func (v *validator) textType(n *node, where string, content bool) {
	t, ok := n.attr("type")
	if !ok {
		return
	}
	switch {
	case t == "text" || t == "html" || t == "xhtml":
	case content && strings.Contains(t, "/"):
	default:
		v.fail("%s: type %q", where, t)
	}
}

// node is an element of the parsed document.
type node struct {
	Name xml.Name
	Attr []xml.Attr
	kids []*node
	text string
}

// children are n's Atom child elements called local (with rel, when rel is
// given, for links: an absent rel is "alternate").
func (n *node) children(local, rel string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.Name.Space == Namespace && k.Name.Local == local && (rel == "" || k.rel() == rel) {
			out = append(out, k)
		}
	}
	return out
}

func (n *node) childText(local string) string {
	if k := n.children(local, ""); len(k) > 0 {
		return strings.TrimSpace(k[0].text)
	}
	return ""
}

func (n *node) attr(local string) (string, bool) {
	for _, a := range n.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) rel() string {
	if r, ok := n.attr("rel"); ok {
		return r
	}
	return "alternate"
}

// parse reads the whole document, failing on anything not well-formed.
func parse(doc []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var root *node
	var stack []*node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{Name: t.Name, Attr: t.Copy().Attr}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("more than one root element")
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.kids = append(parent.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}
