package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The workbook bombs: small files (a few MB at most) that unpack to hundreds of
// megabytes of XML. Each part is deflated at the highest level as it is
// generated, so nothing large is ever held in memory.
const (
	mainNS    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	relNS     = "http://schemas.openxmlformats.org/package/2006/relationships"
	docRels   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	headerRow = `<row r="1"><c r="A1" t="inlineStr"><is><t>month</t></is></c><c r="B1" t="inlineStr"><is><t>direction</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>category</t></is></c><c r="D1" t="inlineStr"><is><t>count</t></is></c></row>`
)

// part is one file of a workbook: head, then tail repeated n times, then foot.
type part struct {
	name             string
	head, tail, foot string
	n                int64
}

// bombs lists the workbooks by attack name.
var bombs = map[string][]part{
	// ~500 MB of empty shared strings, and a row that uses them.
	"xlsx-shared-strings": {{name: "xl/sharedStrings.xml",
		head: `<sst xmlns="` + mainNS + `" count="38461538" uniqueCount="38461538">`, tail: `<si><t/></si>`, n: 500_000_000 / 13, foot: `</sst>`},
		{name: "xl/worksheets/sheet1.xml", head: `<worksheet xmlns="` + mainNS + `"><sheetData>` + headerRow +
			`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c><c r="D2" t="s"><v>38461537</v></c></row>` +
			`</sheetData></worksheet>`}},
	// One inline-string cell of 1 GB of text.
	"xlsx-huge-cell": {{name: "xl/worksheets/sheet1.xml",
		head: `<worksheet xmlns="` + mainNS + `"><sheetData>` + headerRow + `<row r="2"><c r="A2" t="inlineStr"><is><t>`,
		tail: "A", n: 1 << 30, foot: `</t></is></c></row></sheetData></worksheet>`}},
	// One row of 20 million empty cells.
	"xlsx-wide-row": {{name: "xl/worksheets/sheet1.xml",
		head: `<worksheet xmlns="` + mainNS + `"><sheetData>` + headerRow + `<row r="2">`,
		tail: `<c/>`, n: 20_000_000, foot: `</row></sheetData></worksheet>`}},
}

// workbook builds a minimal valid workbook with the given parts in place of the plain ones.
func workbook(bomb []part) ([]byte, error) {
	parts := []part{
		{name: "[Content_Types].xml", head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`</Types>`},
		{name: "_rels/.rels", head: `<Relationships xmlns="` + relNS + `"><Relationship Id="rId1" Type="` + docRels +
			`/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{name: "xl/workbook.xml", head: `<workbook xmlns="` + mainNS + `" xmlns:r="` + docRels +
			`"><sheets><sheet name="Figures" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", head: `<Relationships xmlns="` + relNS + `"><Relationship Id="rId1" Type="` + docRels +
			`/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="` + docRels +
			`/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{name: "xl/worksheets/sheet1.xml", head: `<worksheet xmlns="` + mainNS + `"><sheetData>` + headerRow + `</sheetData></worksheet>`},
		{name: "xl/sharedStrings.xml", head: `<sst xmlns="` + mainNS + `" count="0" uniqueCount="0"/>`},
	}
	for _, b := range bomb {
		for i := range parts {
			if parts[i].name == b.name {
				parts[i] = b
			}
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if err := writePart(w, p); err != nil {
			return nil, err
		}
	}
	err := zw.Close()
	return buf.Bytes(), err
}

// writePart writes head, tail × n and foot, the repeats in blocks of about a megabyte.
func writePart(w io.Writer, p part) error {
	io.WriteString(w, p.head)
	if p.n > 0 {
		per := max(1, int64((1<<20)/len(p.tail)))
		block := []byte(strings.Repeat(p.tail, int(min(per, p.n))))
		for left := p.n; left > 0; left -= per {
			if _, err := w.Write(block[:min(left, per)*int64(len(p.tail))]); err != nil {
				return err
			}
		}
	}
	_, err := io.WriteString(w, p.foot)
	return err
}

// buildBombs builds every workbook bomb, in parallel.
func buildBombs() (map[string][]byte, error) {
	out := map[string][]byte{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	for name, parts := range bombs {
		wg.Go(func() {
			b, err := workbook(parts)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("building %s: %w", name, err)
			}
			out[name] = b
		})
	}
	wg.Wait()
	return out, firstErr
}

// xlsxRefuseWithin is how quickly a bomb must be refused ("about a second");
// the suite stops waiting for an answer at xlsxGiveUp.
const (
	xlsxRefuseWithin = 2 * time.Second
	xlsxGiveUp       = 6 * time.Second
)

// uploadBomb has the editor upload one workbook bomb through the upload form.
// The server must refuse it with a clear error, quickly: either a 4xx, or the
// preview of an import whose errors say why.
func uploadBomb(name string) func(context.Context, *env, *result) {
	return func(ctx context.Context, e *env, r *result) {
		c := e.editor(xlsxGiveUp)
		tok, err := csrfToken(ctx, c, e.base+"/imports/new", nil)
		if err != nil {
			r.fail("the editor cannot open the upload page: %v", err)
			return
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("_csrf", tok)
		mw.WriteField("mode", "merge")
		fw, _ := mw.CreateFormFile("file", name+".xlsx")
		fw.Write(e.bombs[name])
		mw.Close()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.base+"/imports", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		rep, err := do(c, req)
		what := fmt.Sprintf("POST /imports (%s workbook)", mib(int64(len(e.bombs[name]))))
		if err != nil {
			r.code(classify(err))
			r.fail("%s: no answer within %s (%v)", what, ms(rep.took), err)
			return
		}
		r.status(rep.status)
		r.note("%s: %d in %s", what, rep.status, ms(rep.took))
		if rep.took > xlsxRefuseWithin {
			r.fail("%s: answered after %s (limit %s)", what, ms(rep.took), ms(xlsxRefuseWithin))
		}
		switch {
		case rep.status >= 400 && rep.status < 500:
			r.note("refused: %s", pageText(rep.body))
		case rep.status == http.StatusSeeOther && strings.HasPrefix(rep.location, "/imports/"):
			importErrors(ctx, e, r, what, rep.location)
		default:
			r.fail("%s: answered %d (location %q) instead of refusing the file", what, rep.status, rep.location)
		}
	}
}

// importErrors reads an import's problems and fails it when there is no error.
func importErrors(ctx context.Context, e *env, r *result, what, loc string) {
	rep, err := get(ctx, e.editor(10*time.Second), e.base+loc+"/problems.csv", nil)
	if err != nil || rep.status != http.StatusOK {
		r.fail("%s: became %s, whose problems cannot be read (%v, %d)", what, loc, err, rep.status)
		return
	}
	rows, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rep.body, []byte("\uFEFF")))).ReadAll()
	for _, row := range rows {
		if len(row) >= 5 && row[0] == "error" {
			r.note("refused as %s: %s", loc, clip(row[4], 160))
			return
		}
	}
	r.fail("%s: became %s, a preview with no error: the workbook was accepted", what, loc)
}
