package upload

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"

	"hrx/internal/i18n"
)

// Kinds of element the part checks follow, by local name.
const (
	kindOther uint8 = iota
	kindRow
	kindCell // c
	kindValue
	kindFormula
	kindInline   // is
	kindText     // t
	kindString   // si
	kindPhonetic // rPh
	kindRel      // Relationship
	kindSheet    // sheet, in a workbook
)

func xlsxKind(local []byte) uint8 {
	switch string(local) {
	case "row":
		return kindRow
	case "c":
		return kindCell
	case "v":
		return kindValue
	case "f":
		return kindFormula
	case "is":
		return kindInline
	case "t":
		return kindText
	case "si":
		return kindString
	case "rPh":
		return kindPhonetic
	case "Relationship":
		return kindRel
	case "sheet":
		return kindSheet
	}
	return kindOther
}

// xlsxPartCheck follows one part through an xmlScanner and stops at the first
// count over a limit. Elements are matched by local name, as excelize does.
type xlsxPartCheck struct {
	g     *xlsxGuard
	lim   *xlsxLimits
	name  string
	roles xlsxRole
	hooks xlsxHooks

	depth int
	kinds [xlsxMaxDepth + 1]uint8
	texts [xlsxMaxDepth + 1]int // text directly in each open element (parts decoded whole)
	run   int                   // characters of the text run being read

	// The cell (c) or shared string (si) being read: excelize decodes it whole.
	item                          uint8
	itemDepth, phonetic           int
	itemValue, itemText, itemElem int
	hasValue                      bool

	// Rows of a worksheet, counted as excelize's row iterator sees them. It
	// reads on past the end of the sheet's data when a row's last cell ends
	// it, so the checks do too.
	inRows          bool
	rows, row       int
	cells, rowCells int
	col, rowSpan    int
	span            int
	strings         int
}

func (p *xlsxPartCheck) start(name, attrs []byte, selfClosing bool) error {
	k := xlsxKind(xmlLocal(name))
	if p.roles&roleWhole != 0 {
		if p.g.whole++; p.g.whole > p.lim.whole {
			return p.tooMuchOutsideCells()
		}
	}
	if p.item != 0 {
		if p.itemElem++; p.itemElem > p.lim.cellParts {
			return p.fault("pieces", p.lim.cellParts)
		}
		switch {
		case k == kindValue || k == kindFormula || k == kindInline:
			p.hasValue = true
		case k == kindPhonetic && p.phonetic == 0:
			p.phonetic = p.depth + 1
		}
	}
	switch {
	case k == kindRow && p.roles&roleSheet != 0:
		if err := p.endRow(); err != nil {
			return err
		}
		p.inRows = true
		p.rows++
		p.row++
		if r := xlsxRowNumber(xmlAttr(attrs, "r")); r != 0 {
			p.row = r
		}
		if p.rows > p.lim.rows || p.row > p.lim.rows {
			return p.tooManyRows()
		}
	case k == kindCell && p.inRows:
		if p.item != 0 {
			// excelize would take the inner cell's end for the outer's and read on.
			return xlsxDamaged(p.name, i18n.M("imports.xlsx.fault.cell_in_cell"))
		}
		if err := p.cell(attrs); err != nil {
			return err
		}
		if !selfClosing {
			p.beginItem(k)
		}
	case k == kindString && p.roles&roleStrings != 0 && p.item == 0:
		if p.strings++; p.strings > p.lim.strings {
			return newFileError("imports.xlsx.too_many_texts", "max", p.lim.strings)
		}
		if !selfClosing {
			p.beginItem(k)
		}
	case k == kindRel && p.hooks.rel != nil:
		p.hooks.rel(xmlUnescape(xmlAttr(attrs, "Id")), xmlUnescape(xmlAttr(attrs, "Type")), xmlUnescape(xmlAttr(attrs, "Target")))
	case k == kindSheet && p.hooks.sheet != nil:
		// excelize reads r:id; any id, whatever its prefix, is taken.
		xmlEachAttr(attrs, func(name, value []byte) {
			if string(xmlLocal(name)) == "id" {
				p.hooks.sheet(xmlUnescape(value))
			}
		})
	}
	if selfClosing {
		return nil
	}
	if p.depth >= p.lim.depth {
		return xlsxDamaged(p.name, i18n.M("imports.xlsx.fault.too_deep", "max", p.lim.depth))
	}
	p.depth++
	p.kinds[p.depth], p.texts[p.depth] = k, 0
	return nil
}

// cell counts a cell of the current row and finds its column.
func (p *xlsxPartCheck) cell(attrs []byte) error {
	p.cells++
	p.rowCells++
	p.col++
	if ref := xmlAttr(attrs, "r"); ref != nil {
		if c := xlsxColumn(ref); c > 0 {
			p.col = c
		}
	}
	switch {
	case p.rowCells > p.lim.columns || p.col > p.lim.columns:
		return newFileError("imports.xlsx.row_too_long", "row", p.row, "max", p.lim.columns)
	case p.cells > p.lim.cells:
		return newFileError("imports.xlsx.too_many_cells", "max", p.lim.cells)
	}
	return nil
}

func (p *xlsxPartCheck) beginItem(k uint8) {
	p.item, p.itemDepth = k, p.depth+1
	p.itemValue, p.itemText, p.itemElem, p.phonetic, p.hasValue = 0, 0, 0, 0, false
}

func (p *xlsxPartCheck) end(_ []byte) error {
	if p.depth == 0 {
		return nil // encoding/xml stops at an end tag without a start
	}
	if p.phonetic == p.depth {
		p.phonetic = 0
	}
	if p.item != 0 && p.depth == p.itemDepth {
		if p.item == kindCell && p.hasValue {
			// excelize pads the row with empty cells up to this one's
			// column, or adds it after the last when it goes backwards.
			p.rowSpan = max(p.col, p.rowSpan+1)
		}
		p.item = 0
	}
	p.depth--
	return nil
}

// endRow adds the cells excelize fills in for the row just read: every
// column up to its last with a value, empty or not.
func (p *xlsxPartCheck) endRow() error {
	p.span += p.rowSpan
	if p.span > p.lim.span {
		last, err := excelize.ColumnNumberToName(p.rowSpan)
		if err != nil {
			last = "XFD"
		}
		return newFileError("imports.xlsx.too_wide", "row", p.row, "column", last)
	}
	p.rowCells, p.col, p.rowSpan = 0, 0, 0
	return nil
}

func (p *xlsxPartCheck) text(n int, last bool) error {
	p.run += n
	run := p.run
	if last {
		p.run = 0
	}
	if p.item != 0 {
		p.itemText += n
		if k := p.kinds[p.depth]; (k == kindText || k == kindValue) && p.phonetic == 0 {
			p.itemValue += n
		}
		if p.itemValue > p.lim.cellChars || p.itemText > p.lim.cellText {
			return p.fault("chars", p.lim.cellChars)
		}
	} else if run > p.lim.textRun {
		// Outside cells only encoding/xml's buffer for one run is at stake.
		return xlsxDamaged(p.name, i18n.M("imports.xlsx.fault.long_text", "max", p.lim.textRun))
	}
	if p.roles&roleWhole != 0 {
		// encoding/xml gathers an element's text across comments into one string.
		if p.texts[p.depth] += n; p.texts[p.depth] > p.lim.wholeText {
			return p.tooMuchOutsideCells()
		}
	}
	return nil
}

func (p *xlsxPartCheck) procInst(target, content []byte) error {
	if !bytes.EqualFold(target, []byte("xml")) {
		return nil
	}
	// encoding/xml switches to any encoding a declaration names, and the
	// checks read bytes as UTF-8, so only UTF-8 is let through.
	for i := 0; ; {
		j := bytes.Index(content[i:], []byte("encoding="))
		if j < 0 {
			return nil
		}
		i += j + len("encoding=")
		if i >= len(content) || content[i] != '"' && content[i] != '\'' {
			continue
		}
		enc := content[i+1:]
		if q := bytes.IndexByte(enc, content[i]); q >= 0 {
			enc = enc[:q]
		}
		if !bytes.EqualFold(enc, []byte("utf-8")) {
			return newFileError("imports.xlsx.encoding", "part", p.name, "encoding", clip(string(enc)))
		}
	}
}

// finish checks what is only known at the end of the part.
func (p *xlsxPartCheck) finish() error {
	if p.inRows {
		return p.endRow()
	}
	return nil
}

// fault refuses the workbook for the cell or shared string being read:
// what is "pieces" (too many formatted pieces of text) or "chars" (too long).
func (p *xlsxPartCheck) fault(what string, limit int) error {
	if p.item != kindCell {
		return newFileError("imports.xlsx.shared_"+what, "max", limit)
	}
	ref, err := excelize.CoordinatesToCellName(max(p.col, 1), max(p.row, 1))
	if err != nil {
		ref = fmt.Sprintf("R%dC%d", p.row, p.col)
	}
	return newFileError("imports.xlsx.cell_"+what, "cell", ref, "max", limit)
}

func (p *xlsxPartCheck) tooManyRows() error {
	return newFileError("imports.xlsx.too_many_rows", "max", p.lim.rows)
}

func (p *xlsxPartCheck) tooMuchOutsideCells() error {
	return newFileError("imports.xlsx.too_much_besides", "part", p.name)
}
