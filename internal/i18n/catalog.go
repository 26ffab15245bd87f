package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The catalogs are data files in locales/, one per part of the product and
// language: AREA.LANG.json, holding messages by stable id (nested objects join
// their keys with dots: {"login": {"throttled": "…"}} is login.throttled).
// Arguments are named, {{.month}}; a message with an argument "count" may
// have CLDR plural forms ({"one": "…", "other": "…"}). English is the
// reference: every id exists in English, and a test checks that every other
// language has the same ids with the same arguments.
//
//go:embed locales/*.json
var localeFiles embed.FS

// catalog is every language's messages, read once from the embedded files
// and never changed.
type catalog struct {
	bundle *goi18n.Bundle
	// ids lists each language's message ids, for the completeness test.
	ids map[Lang]map[string]bool
}

var catalogs = mustLoadCatalog(localeFiles)

func mustLoadCatalog(fsys fs.FS) *catalog {
	c, err := loadCatalog(fsys)
	if err != nil {
		panic(err) // the embedded files are part of the binary; a test reads them
	}
	return c
}

func loadCatalog(fsys fs.FS) (*catalog, error) {
	c := &catalog{bundle: goi18n.NewBundle(language.English), ids: map[Lang]map[string]bool{}}
	names, err := fs.Glob(fsys, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		parts := strings.Split(strings.TrimSuffix(path.Base(name), ".json"), ".")
		if len(parts) != 2 {
			return nil, fmt.Errorf("i18n: %s: name it AREA.LANG.json", name)
		}
		lang := Lang(parts[1])
		f, err := c.bundle.ParseMessageFileBytes(b, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		if c.ids[lang] == nil {
			c.ids[lang] = map[string]bool{}
		}
		for _, m := range f.Messages {
			if c.ids[lang][m.ID] {
				return nil, fmt.Errorf("i18n: %s: message %s is defined twice", name, m.ID)
			}
			c.ids[lang][m.ID] = true
		}
	}
	return c, nil
}
