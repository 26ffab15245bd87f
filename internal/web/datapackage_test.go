package web_test

import (
	"encoding/csv"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestDataPackage: /datapackage.json is a tabular data package whose one
// resource is the public export, and whose fields are the export's header,
// each with a Table Schema type and well-formed constraints.
func TestDataPackage(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	var dp struct {
		Profile, Name, Title string
		Licenses             []struct{ Title, Path string }
		Resources            []struct {
			Profile, Name, Path, Format, MediaType, Encoding string
			Dialect                                          struct {
				Delimiter string
				Header    bool
			}
			Schema struct {
				Fields []struct {
					Name, Type, Unit string
					Constraints      map[string]any
				}
				PrimaryKey []string
			}
		}
	}
	resp := getJSON(t, e, "/datapackage.json", &dp)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	if dp.Profile != "tabular-data-package" || !regexp.MustCompile(`^[a-z0-9._-]+$`).MatchString(dp.Name) || dp.Title == "" {
		t.Errorf("package %+v", dp)
	}
	if len(dp.Licenses) != 1 || dp.Licenses[0].Title == "" || dp.Licenses[0].Path == "" {
		t.Errorf("licences %+v", dp.Licenses)
	}
	if len(dp.Resources) != 1 {
		t.Fatalf("resources %+v", dp.Resources)
	}
	r := dp.Resources[0]
	if r.Profile != "tabular-data-resource" || !strings.HasSuffix(r.Path, "/export/figures.csv") || r.Format != "csv" ||
		r.Encoding != "utf-8-sig" || r.Dialect.Delimiter != "," || !r.Dialect.Header {
		t.Errorf("resource %+v", r)
	}

	// The fields are the CSV's header, in its order.
	res, err := http.Get(e.srv.URL + "/export/figures.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	header, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\uFEFF"))).Read()
	if err != nil {
		t.Fatal(err)
	}
	if len(header) != len(r.Schema.Fields) {
		t.Fatalf("header %v, %d fields", header, len(r.Schema.Fields))
	}
	types := map[string]bool{"string": true, "integer": true, "number": true, "date": true, "yearmonth": true, "boolean": true}
	names := map[string]bool{}
	for i, f := range r.Schema.Fields {
		if f.Name != header[i] {
			t.Errorf("field %d is %q, the header says %q", i, f.Name, header[i])
		}
		names[f.Name] = true
		if !types[f.Type] {
			t.Errorf("field %s: type %q", f.Name, f.Type)
		}
		if p, ok := f.Constraints["pattern"].(string); ok {
			if _, err := regexp.Compile("^(?:" + p + ")$"); err != nil {
				t.Errorf("field %s: pattern %v", f.Name, err)
			}
		}
		if m, ok := f.Constraints["minimum"]; ok && f.Type != "integer" {
			t.Errorf("field %s: minimum %v on a %s", f.Name, m, f.Type)
		}
	}
	for _, k := range r.Schema.PrimaryKey {
		if !names[k] {
			t.Errorf("primary key %q is no field", k)
		}
	}
	count := r.Schema.Fields[3]
	if count.Name != "count" || count.Type != "integer" || count.Unit != "people" || count.Constraints["minimum"] != float64(0) {
		t.Errorf("count field %+v", count)
	}
	month := regexp.MustCompile("^(?:" + r.Schema.Fields[0].Constraints["pattern"].(string) + ")$")
	if !month.MatchString("2025-09") || month.MatchString("2025-13") {
		t.Errorf("month pattern %v", month)
	}
	if enum, _ := r.Schema.Fields[1].Constraints["enum"].([]any); len(enum) != 2 {
		t.Errorf("direction enum %v", enum)
	}
}
