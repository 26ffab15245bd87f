// Command xlsxbomb writes hostile workbooks, and an ordinary large one, and
// measures in one process what reading each costs the upload reader: the
// time until it is refused (or read to the end), the memory allocated and the
// process's peak resident memory.
//
//	go run ./scripts/abuse/xlsxbomb -list
//	go run ./scripts/abuse/xlsxbomb -kind strings -out /tmp/strings.xlsx
//	go run ./scripts/abuse/xlsxbomb -open /tmp/strings.xlsx
//	scripts/abuse/xlsxbomb.sh          # every kind, each read in a fresh process
package main

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"hrx/internal/reference"
	"hrx/internal/upload"
)

const (
	mainNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	header = `<row r="1"><c r="A1" t="inlineStr"><is><t>month</t></is></c><c r="B1" t="inlineStr"><is><t>direction</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>category</t></is></c><c r="D1" t="inlineStr"><is><t>count</t></is></c></row>`
	sheetHead = `<worksheet ` + mainNS + `><sheetData>` + header
	sheetTail = `</sheetData></worksheet>`
)

// part is a file of a workbook: head, then unit n times, then tail.
type part struct {
	name             string
	head, unit, tail string
	n                int
}

// kind is a workbook to write.
type kind struct {
	what  string
	parts []part
}

func kinds(rows int) map[string]kind {
	sst := func(unit string, n int) part {
		return part{name: "xl/sharedStrings.xml", head: `<sst ` + mainNS + `>`, unit: unit, n: n, tail: `</sst>`}
	}
	sheet := func(head, unit string, n int, tail string) part {
		return part{name: "xl/worksheets/sheet1.xml", head: sheetHead + head, unit: unit, n: n, tail: tail + sheetTail}
	}
	usesStrings := sheet(`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c><c r="D2" t="s"><v>3</v></c></row>`, "", 0, "")
	return map[string]kind{
		"strings":    {"500 MB of empty shared strings, as reported", []part{sst(`<si><t/></si>`, 500_000_000/13), usesStrings}},
		"strings-90": {"90 MB of empty shared strings, under the size limits", []part{sst(`<si><t/></si>`, 90_000_000/13), usesStrings}},
		"cell":       {"one cell of 1 GB, as reported", []part{sheet(`<row r="2"><c r="A2" t="inlineStr"><is><t>`, "A", 1<<30, `</t></is></c></row>`)}},
		"cell-150":   {"one cell of 150 MB, under the size limits", []part{sheet(`<row r="2"><c r="A2" t="inlineStr"><is><t>`, "A", 150<<20, `</t></is></c></row>`)}},
		"row":        {"one row of 20 million empty cells, as reported", []part{sheet(`<row r="2">`, `<c/>`, 20_000_000, `</row>`)}},
		"rows":       {"5 million empty rows", []part{sheet(``, `<row/>`, 5_000_000, ``)}},
		"cells":      {"40 million empty cells in rows of 16,384", []part{sheet(``, `<row>`+strings.Repeat(`<c/>`, 16_384)+`</row>`, 40_000_000/16_384, ``)}},
		"wide":       {"a value in column XFD on 1 million rows", []part{sheet(``, `<row><c r="XFD1"><v>1</v></c></row>`, 1_000_000, ``)}},
		"styles":     {"90 MB of empty cell styles", []part{{name: "xl/styles.xml", head: `<styleSheet ` + mainNS + `><cellXfs>`, unit: `<xf/>`, n: 90_000_000 / 5, tail: `</cellXfs></styleSheet>`}}},
		"calc-chain": {"a calculation chain of 5 million formulas", []part{{name: "xl/calcChain.xml", head: `<calcChain ` + mainNS + `>`, unit: `<c r="A1" i="1"/>`, n: 5_000_000, tail: `</calcChain>`}}},
		"deep":       {"elements nested 10 million deep in a cell", []part{sheet(`<row r="2"><c r="A2" t="inlineStr"><is>`, `<r>`, 10_000_000, ``)}},
		"legit":      {fmt.Sprintf("an ordinary workbook of %d rows, as Excel writes it", rows), legit(rows)},
	}
}

// legit is an ordinary workbook: ten columns, text in shared strings, a unique note a row.
func legit(rows int) []part {
	fixed := []string{"month", "direction", "category", "count", "sector", "origin", "destination", "status", "source", "note",
		"2025-09", reference.IndiaToJapan, "student", "it_software", "IN-KA", "JP-13", "final", "Ministry of External Affairs"}
	var head strings.Builder
	head.WriteString(`<worksheet ` + mainNS + `><sheetData><row r="1" spans="1:10">`)
	for c := range 10 {
		fmt.Fprintf(&head, `<c r="%c1" t="s"><v>%d</v></c>`, 'A'+c, c)
	}
	head.WriteString(`</row>`)
	var strs strings.Builder
	strs.WriteString(`<sst ` + mainNS + `>`)
	for _, s := range fixed {
		fmt.Fprintf(&strs, `<si><t>%s</t></si>`, s)
	}
	return []part{
		{name: "xl/worksheets/sheet1.xml", head: head.String(), n: rows, tail: sheetTail,
			unit: `<row r="%[1]d" spans="1:10"><c r="A%[1]d" t="s"><v>10</v></c><c r="B%[1]d" t="s"><v>11</v></c><c r="C%[1]d" t="s"><v>12</v></c><c r="D%[1]d"><v>%[2]d</v></c>` +
				`<c r="E%[1]d" t="s"><v>13</v></c><c r="F%[1]d" t="s"><v>14</v></c><c r="G%[1]d" t="s"><v>15</v></c><c r="H%[1]d" t="s"><v>16</v></c><c r="I%[1]d" t="s"><v>17</v></c><c r="J%[1]d" t="s"><v>%[3]d</v></c></row>`},
		{name: "xl/sharedStrings.xml", head: strs.String(), n: rows, tail: `</sst>`, unit: `<si><t>checked by the regional office, row %[1]d</t></si>`},
	}
}

func main() {
	list := flag.Bool("list", false, "name every kind of workbook")
	name := flag.String("kind", "", "the kind of workbook to write (see -list)")
	out := flag.String("out", "", "where to write it")
	rows := flag.Int("rows", 200_000, "rows of the legit workbook")
	open := flag.String("open", "", "read this workbook as an upload and report the cost")
	flag.Parse()
	all := kinds(*rows)
	switch {
	case *list:
		names := make([]string, 0, len(all))
		for n := range all {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Printf("%-12s %s\n", n, all[n].what)
		}
	case *name != "" && *out != "":
		k, ok := all[*name]
		if !ok {
			log.Fatalf("no kind %q; see -list", *name)
		}
		if err := write(*out, k.parts); err != nil {
			log.Fatal(err)
		}
	case *open != "":
		if err := measure(*open); err != nil {
			log.Fatal(err)
		}
	default:
		flag.Usage()
		os.Exit(2)
	}
}

// write zips a minimal workbook with parts in place of its own, deflating as it goes.
func write(path string, parts []part) error {
	base := []part{
		{name: "[Content_Types].xml", head: `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`},
		{name: "_rels/.rels", head: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{name: "xl/workbook.xml", head: `<workbook ` + mainNS + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Figures" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", head: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{name: "xl/worksheets/sheet1.xml", head: sheetHead + sheetTail},
	}
	for _, p := range parts {
		replaced := false
		for i := range base {
			if base[i].name == p.name {
				base[i], replaced = p, true
			}
		}
		if !replaced {
			base = append(base, p)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	for _, p := range base {
		w, err := zw.Create(p.name)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		bw.WriteString(p.head)
		numbered := strings.Contains(p.unit, "%[1]d")
		chunk := strings.Repeat(p.unit, max(1, 64<<10/max(1, len(p.unit))))
		for i := 0; i < p.n; {
			switch {
			case numbered:
				fmt.Fprintf(bw, p.unit, i+2, i%500+1, 18+i)
				i++
			case p.n-i >= len(chunk)/len(p.unit):
				bw.WriteString(chunk)
				i += len(chunk) / len(p.unit)
			default:
				bw.WriteString(p.unit)
				i++
			}
		}
		bw.WriteString(p.tail)
		if err := bw.Flush(); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// measure reads a workbook as the upload path does and reports the cost.
func measure(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	outcome := ""
	r, err := upload.Open(f, path)
	var fe *upload.FileError
	switch {
	case errors.As(err, &fe):
		outcome = "refused: " + fe.Msg.String()
	case err != nil:
		return err
	default:
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				outcome = fmt.Sprintf("read %d rows", n)
				break
			}
			if errors.As(err, &fe) {
				outcome = fmt.Sprintf("refused after %d rows: %s", n, fe.Msg)
				break
			}
			if err != nil {
				return err
			}
			n++
		}
		r.Close()
	}
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	fmt.Printf("%s (%d KB): %v, %d KB allocated, peak RSS %s\n  %s\n", path, st.Size()>>10, took.Round(time.Microsecond),
		(after.TotalAlloc-before.TotalAlloc)>>10, peakRSS(), outcome)
	return nil
}

// peakRSS is the process's peak resident memory, from /proc (Linux only).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
