package upload

import (
	"archive/zip"
	"errors"
	"io"
	"path"
	"sort"
	"strings"

	"hrx/internal/i18n"
)

// xlsxLimits are the counts the parts of a workbook may reach, checked by
// xlsxCheckParts before excelize parses anything. excelize's memory and time
// grow with these counts, not with the file's size.
type xlsxLimits struct {
	strings   int // shared strings
	cellChars int // characters of one cell's text
	cellText  int // all text of one cell, with phonetic guides and its formula
	textRun   int // characters of one run of text outside cells
	cellParts int // elements in one cell or shared string (rich-text runs)
	columns   int // cells in one row, and the last column
	rows      int // rows of a sheet, and the last row number
	cells     int // cells of a sheet, even empty ones
	span      int // cells excelize fills in: each row's cells up to its last value
	whole     int // elements of the parts excelize decodes whole (styles, workbook …)
	wholeText int // text of one element in those parts
	depth     int // nesting of elements, at most xlsxMaxDepth
	tag       int // bytes of a tag, comment or processing instruction
}

// xlsxMaxDepth bounds the nesting the checks can follow; Excel's deepest is about a dozen.
const xlsxMaxDepth = 64

// xlsxStandardLimits are far above what Excel writes for a sheet of figures
// and far below what would exhaust the server. Measured with excelize v2.11:
// an empty cell costs about 0.5 µs and 430 bytes of garbage, a shared string
// about 150 bytes kept for the whole import, an element of a part decoded
// whole about 300 bytes kept.
func xlsxStandardLimits() xlsxLimits {
	return xlsxLimits{
		strings:   1_000_000,
		cellChars: 32_767, // Excel's own limit
		cellText:  131_072,
		textRun:   1 << 20, // as long as a line of CSV may be
		cellParts: 32_768,
		columns:   16_384, // A to XFD
		rows:      1_048_576,
		cells:     10_000_000,
		span:      30_000_000,
		whole:     300_000,
		wholeText: 4 << 20,
		depth:     xlsxMaxDepth,
		tag:       xmlMaxTag,
	}
}

// xlsxRole says how excelize will read a part.
type xlsxRole uint8

const (
	roleWhole   xlsxRole = 1 << iota // decoded into memory whole
	roleSheet                        // a worksheet, streamed row by row
	roleStrings                      // the shared strings table
)

// xlsxHooks receive what the checks find in the parts that lead to others.
type xlsxHooks struct {
	rel   func(id, typ, target string) // a Relationship
	sheet func(id string)              // a sheet's relationship id, in a workbook
}

// xlsxGuard checks the parts of one workbook that excelize will parse.
type xlsxGuard struct {
	files   map[string][]*zip.File // by lower-case name with forward slashes
	roles   map[string]xlsxRole    // what each part to check will be read as
	checked map[string]xlsxRole    // what each part has been checked as
	sc      *xmlScanner
	lim     xlsxLimits
	part    xlsxPartCheck
	whole   int // elements counted so far in parts decoded whole
}

// xlsxCheckParts reads, without keeping them, the parts of a workbook that
// excelize will parse, and refuses the workbook at the first count that would
// make excelize use too much memory or time. It follows the relationships as
// excelize does, so a sheet or workbook part under an unusual name is checked too.
func xlsxCheckParts(zr *zip.Reader) error { return xlsxCheckPartsWith(zr, xlsxStandardLimits()) }

// xlsxCheckPartsWith is xlsxCheckParts with other limits, for tests.
func xlsxCheckPartsWith(zr *zip.Reader, lim xlsxLimits) error {
	g := newXLSXGuard(lim)
	for _, f := range zr.File {
		name := xlsxPartName(f.Name)
		g.files[name] = append(g.files[name], f)
	}
	// Parts excelize reads by their fixed names.
	for _, name := range []string{"[content_types].xml", "xl/styles.xml", "xl/calcchain.xml", "xl/theme/theme1.xml"} {
		g.want(name, roleWhole)
	}
	g.want("xl/sharedstrings.xml", roleStrings)
	if err := g.findSheets(); err != nil {
		return err
	}
	names := make([]string, 0, len(g.roles))
	for name := range g.roles {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := g.check(name, g.roles[name], xlsxHooks{}); err != nil {
			return err
		}
	}
	return nil
}

// findSheets follows the relationships to the sheets, as excelize does: the
// package's relationships name the workbook, which names its sheets by
// relationship id, which the workbook's relationships turn into parts. Each
// part on the way is decoded whole, so it is checked as it is read.
func (g *xlsxGuard) findSheets() error {
	var books []string
	err := g.check("_rels/.rels", roleWhole, xlsxHooks{rel: func(_, typ, target string) {
		// excelize takes the first of these; every one is checked.
		book := strings.TrimPrefix(target, "/")
		if strings.HasSuffix(typ, "/officeDocument") && g.has(book) && len(books) < xlsxMaxParts {
			books = append(books, book)
		}
	}})
	if err != nil {
		return err
	}
	for _, book := range books {
		ids := xlsxIDs{}
		if err := g.check(book, roleWhole, xlsxHooks{sheet: ids.add}); err != nil {
			return err
		}
		dir := path.Dir(book)
		err := g.check(path.Join(dir, "_rels", path.Base(book)+".rels"), roleWhole, xlsxHooks{rel: func(id, _, target string) {
			if ids.has(id) {
				g.want(xlsxResolve(dir, target), roleSheet)
			}
		}})
		if err != nil {
			return err
		}
	}
	return nil
}

// xlsxIDs is the set of relationship ids a workbook's sheets use. Past
// xlsxMaxParts of them (a crafted workbook) it takes every id for a sheet's.
type xlsxIDs struct {
	ids map[string]bool
	all bool
}

func (s *xlsxIDs) add(id string) {
	switch {
	case s.all:
	case len(s.ids) >= xlsxMaxParts:
		s.all, s.ids = true, nil
	default:
		if s.ids == nil {
			s.ids = map[string]bool{}
		}
		s.ids[id] = true
	}
}

func (s *xlsxIDs) has(id string) bool { return s.all || s.ids[id] }

// xlsxPartName is the key by which parts are matched: excelize turns
// backslashes into slashes, and matching without case errs on the safe side.
func xlsxPartName(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// xlsxResolve is the part a relationship's target names, relative to dir.
func xlsxResolve(dir, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if !strings.HasPrefix(target, "/") {
		target = dir + "/" + target
	}
	return path.Clean(target)
}

// want asks for a part to be checked as role, if the workbook has it.
func (g *xlsxGuard) want(name string, role xlsxRole) {
	if name = xlsxPartName(name); g.has(name) {
		g.roles[name] |= role
	}
}

// has says whether the workbook has a part.
func (g *xlsxGuard) has(name string) bool { return len(g.files[xlsxPartName(name)]) > 0 }

// check scans every copy of a part (a ZIP may hold a name twice) with the
// roles it has not yet been checked for, or again when hooks are to be told
// what it holds.
func (g *xlsxGuard) check(name string, role xlsxRole, hooks xlsxHooks) error {
	name = xlsxPartName(name)
	role |= g.roles[name]
	if role&^g.checked[name] == 0 && hooks.rel == nil && hooks.sheet == nil {
		return nil
	}
	g.checked[name] |= role
	for _, f := range g.files[name] {
		if err := g.scan(f, role, hooks); err != nil {
			return err
		}
	}
	return nil
}

func newXLSXGuard(lim xlsxLimits) *xlsxGuard {
	return &xlsxGuard{files: map[string][]*zip.File{}, roles: map[string]xlsxRole{}, checked: map[string]xlsxRole{},
		sc: newXMLScanner(make([]byte, lim.tag)), lim: lim}
}

func (g *xlsxGuard) scan(f *zip.File, role xlsxRole, hooks xlsxHooks) error {
	rc, err := f.Open()
	if err != nil {
		return xlsxDamaged(f.Name, xlsxFault(err))
	}
	defer rc.Close()
	return g.scanPart(f.Name, rc, role, hooks)
}

// scanPart checks one part, read from r, as role.
func (g *xlsxGuard) scanPart(name string, r io.Reader, role xlsxRole, hooks xlsxHooks) error {
	g.sc.reset(r)
	g.part = xlsxPartCheck{g: g, lim: &g.lim, name: name, roles: role, hooks: hooks}
	err := g.sc.run(&g.part)
	if err == nil {
		err = g.part.finish()
	}
	var fe *FileError
	if err != nil && !errors.As(err, &fe) {
		return xlsxDamaged(name, xlsxFault(err))
	}
	return err
}

// xlsxDamaged refuses a workbook whose part cannot be read or was not written
// by Excel; fault says what is wrong with the part.
func xlsxDamaged(part string, fault i18n.Msg) error {
	return newFileError("imports.xlsx.damaged_part", "part", part, "fault", fault)
}

// xlsxFault words an error met while reading a part, for xlsxDamaged.
func xlsxFault(err error) i18n.Msg {
	var long *xmlTooLongError
	switch {
	case errors.As(err, &long):
		return i18n.M("imports.xlsx.fault.long_tag", "max", long.max)
	case errors.Is(err, errXMLDirective):
		return i18n.M("imports.xlsx.fault.doctype")
	}
	return i18n.M("imports.xlsx.fault.error", "detail", err.Error())
}
