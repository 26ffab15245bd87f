package figures

import (
	"errors"
	"reflect"
	"testing"
)

func TestDuplicateRows(t *testing.T) {
	row := func(pos int, sector, origin, dest string) RowEdit {
		return RowEdit{Pos: pos, Figure: Figure{Sector: sector, Origin: origin, Destination: dest}}
	}
	removed := row(2, "it", "", "")
	removed.Remove = true
	for _, c := range []struct {
		name string
		rows []RowEdit
		want []int // rows refused, each naming the first with its key
		of   []int
	}{
		{"none", nil, nil, nil},
		{"all different", []RowEdit{row(1, "it", "", ""), row(2, "care", "", ""), row(3, "", "IN-KA", "JP-13"), row(4, "", "", "")}, nil, nil},
		{"same sector", []RowEdit{row(1, "it", "", ""), row(2, "care", "", ""), row(3, "it", "", "")}, []int{3}, []int{1}},
		{"same regions", []RowEdit{row(1, "", "IN-KA", "JP-13"), row(5, "", "IN-KA", "JP-13")}, []int{5}, []int{1}},
		{"a region apart", []RowEdit{row(1, "", "IN-KA", "JP-13"), row(2, "", "IN-KA", "JP-27")}, nil, nil},
		{"three alike", []RowEdit{row(1, "", "", ""), row(2, "", "", ""), row(3, "", "", "")}, []int{2, 3}, []int{1, 1}},
		{"a removed row is not counted", []RowEdit{row(1, "it", "", ""), removed}, nil, nil},
		{"fields do not run together", []RowEdit{row(1, "a", "b", ""), row(2, "", "ab", "")}, nil, nil},
	} {
		got := DuplicateRows(c.rows)
		var pos, of []int
		for _, p := range got {
			pos = append(pos, p.Pos)
			of = append(of, p.Msg.Arg("row").(int))
			if p.Column != "sector" || p.Msg.ID != "rowsedit.duplicate" {
				t.Errorf("%s: %+v", c.name, p)
			}
		}
		if !reflect.DeepEqual(pos, c.want) || !reflect.DeepEqual(of, c.of) {
			t.Errorf("%s: rows %v naming %v, want %v naming %v", c.name, pos, of, c.want, c.of)
		}
	}
}

func TestPlanCell(t *testing.T) {
	cur := []Figure{
		{ID: 1, Sector: "it", Count: 10, Status: Provisional, Source: "JASSO", Note: "a", Version: 2},
		{ID: 2, Sector: "care", Count: 20, Status: Final, Version: 1},
		{ID: 3, Origin: "IN-KA", Destination: "JP-13", Count: 30, Status: Final, Version: 5},
	}
	edit := func(pos int, id int64, sector string, count int64, note string) RowEdit {
		return RowEdit{Pos: pos, ID: id, Figure: Figure{Sector: sector, Count: count, Note: note}}
	}
	keep3 := RowEdit{Pos: 3, ID: 3, Figure: Figure{Origin: "IN-KA", Destination: "JP-13", Count: 30}}
	for _, c := range []struct {
		name                    string
		edits                   []RowEdit
		remove, change, add     []int64 // ids removed and changed; counts added
		moved                   int
		err                     error
		changedStatus, addedSrc string
	}{
		{name: "nothing changed", edits: []RowEdit{edit(1, 1, "it", 10, "a"), edit(2, 2, "care", 20, ""), keep3}},
		{name: "nothing sent keeps every row"},
		{name: "a count", edits: []RowEdit{edit(1, 1, "it", 11, "a"), edit(2, 2, "care", 20, ""), keep3}, change: []int64{1}, changedStatus: Provisional},
		{name: "a note", edits: []RowEdit{edit(1, 1, "it", 10, "b")}, change: []int64{1}},
		{name: "removed", edits: []RowEdit{{Pos: 2, ID: 2, Remove: true}, keep3}, remove: []int64{2}},
		{name: "added", edits: []RowEdit{edit(4, 0, "food", 7, "")}, add: []int64{7}},
		{name: "moved to another sector", edits: []RowEdit{edit(1, 1, "food", 10, "a")}, remove: []int64{1}, add: []int64{10}, moved: 1, addedSrc: "JASSO"},
		{name: "two rows swap sectors", edits: []RowEdit{edit(1, 1, "care", 10, "a"), edit(2, 2, "it", 20, "")}, remove: []int64{1, 2}, add: []int64{10, 20}, moved: 2, addedSrc: "JASSO"},
		{name: "a row the cell does not have", edits: []RowEdit{edit(1, 9, "it", 10, "")}, err: errUnknownRow},
		{name: "a row twice", edits: []RowEdit{edit(1, 1, "it", 10, ""), edit(2, 1, "it", 10, "")}, err: errUnknownRow},
		{name: "a new row on a row left out", edits: []RowEdit{edit(4, 0, "care", 1, "")}, err: errUnknownRow},
		{name: "a blank new row ticked for removal", edits: []RowEdit{{Pos: 4, Remove: true}}},
	} {
		p, err := planCell(cur, c.edits)
		if !errors.Is(err, c.err) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.err)
			continue
		}
		if err != nil {
			continue
		}
		var remove, change, add []int64
		for _, f := range p.remove {
			remove = append(remove, f.ID)
		}
		for _, ch := range p.change {
			change = append(change, ch[0].ID)
			if ch[1].ID != ch[0].ID || ch[1].Status != ch[0].Status || ch[1].Source != ch[0].Source {
				t.Errorf("%s: a change loses the row's identity, status or source: %+v", c.name, ch)
			}
			if c.changedStatus != "" && ch[1].Status != c.changedStatus {
				t.Errorf("%s: status %q", c.name, ch[1].Status)
			}
		}
		for _, f := range p.add {
			add = append(add, f.Count)
			if f.ID != 0 || f.Status == "" {
				t.Errorf("%s: an added row %+v", c.name, f)
			}
			if c.addedSrc != "" && f.Count == 10 && f.Source != c.addedSrc {
				t.Errorf("%s: a moved row lost its source: %+v", c.name, f)
			}
		}
		if !reflect.DeepEqual(remove, c.remove) || !reflect.DeepEqual(change, c.change) || !reflect.DeepEqual(add, c.add) || p.moved != c.moved {
			t.Errorf("%s: remove %v change %v add %v moved %d; want %v %v %v %d", c.name, remove, change, add, p.moved, c.remove, c.change, c.add, c.moved)
		}
	}
}

func TestCellVersion(t *testing.T) {
	base := []Figure{{ID: 1, Sector: "it", Count: 10, Status: Final}, {ID: 2, Sector: "care", Count: 20, Status: Final}}
	v := cellVersion(base)
	if cellVersion([]Figure{base[1], base[0]}) != v {
		t.Error("the version depends on the order rows were read in")
	}
	for name, rows := range map[string][]Figure{
		"a count":                       {{ID: 1, Sector: "it", Count: 11, Status: Final}, base[1]},
		"a note":                        {{ID: 1, Sector: "it", Count: 10, Status: Final, Note: "x"}, base[1]},
		"a status":                      {{ID: 1, Sector: "it", Count: 10, Status: Provisional}, base[1]},
		"a source":                      {{ID: 1, Sector: "it", Count: 10, Status: Final, Source: "x"}, base[1]},
		"a sector":                      {{ID: 1, Sector: "food", Count: 10, Status: Final}, base[1]},
		"a row removed and added again": {{ID: 3, Sector: "it", Count: 10, Status: Final}, base[1]},
		"a row fewer":                   base[:1],
		"no rows":                       nil,
	} {
		if cellVersion(rows) == v {
			t.Errorf("%s: the version did not move", name)
		}
	}
}
