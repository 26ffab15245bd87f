package audit

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"hrx/internal/i18n"
	"hrx/internal/month"
)

// Names are what the sentences about entries need from the reference lists:
// the names of categories and directions in the reader's language. The audit
// package cannot read those lists itself (they record their changes here), so
// the edge passes them in. A zero Names shows codes.
type Names struct {
	Lang      i18n.Lang                  // picks a target's or category's own name, as the entry recorded it
	Category  func(code string) string   // a category's name in Lang; "" when unknown (the code is shown)
	Direction func(code string) i18n.Msg // a direction's name; zero when unknown (the code is shown)
}

func (n Names) category(code string) i18n.Msg {
	if n.Category != nil {
		if s := n.Category(code); s != "" {
			return i18n.Text(s)
		}
	}
	return i18n.Text(code)
}

func (n Names) direction(code string) i18n.Msg {
	if n.Direction != nil {
		if m := n.Direction(code); !m.IsZero() {
			return m
		}
	}
	return i18n.Text(code)
}

// pick is a name the entry recorded in each language, in the reader's.
func (n Names) pick(en, ja, hi string) string {
	switch {
	case n.Lang == i18n.JA && ja != "":
		return ja
	case n.Lang == i18n.HI && hi != "":
		return hi
	}
	return en
}

// record is an entry's Before or After, read back from its JSON.
type record map[string]any

func recordOf(s string) record {
	r := record{}
	if s == "" {
		return r
	}
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	if d.Decode(&r) != nil {
		return record{}
	}
	return r
}

func (r record) has(name string) bool { _, ok := r[name]; return ok }

func (r record) str(name string) string { s, _ := r[name].(string); return s }

func (r record) int(name string) (int64, bool) {
	n, ok := r[name].(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

func (r record) bool(name string) bool { b, _ := r[name].(bool); return b }

// count is a number the entry recorded, or "none" when it recorded nothing.
func (r record) count(name string) any {
	if n, ok := r.int(name); ok {
		return n
	}
	return i18n.M("audit.value.none")
}

// describer writes the sentence for one kind of entry; false when the entry
// lacks what the sentence needs, and the generic sentence is used instead.
type describer func(e Entry, before, after record, n Names) (i18n.Msg, bool)

// describers has a sentence for every action on every kind of thing that HRX
// records, keyed "entity/action".
var describers = map[string]describer{
	"figure/create": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		cell, ok := cellOf(e.EntityKey, n)
		return i18n.M("audit.what.figure.create", "cell", cell, "after", a.count("count")), ok
	},
	"figure/update": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		cell, ok := cellOf(e.EntityKey, n)
		return i18n.M("audit.what.figure.update", "cell", cell, "before", b.count("count"), "after", a.count("count")), ok
	},
	"figure/delete": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		cell, ok := cellOf(e.EntityKey, n)
		return i18n.M("audit.what.figure.delete", "cell", cell, "before", b.count("count")), ok
	},
	"cell/import": cellTotal("audit.what.cell.import"),
	"cell/revert": cellTotal("audit.what.cell.revert"),
	"cell/insert": cellTotal("audit.what.cell.insert"),
	"figures/insert": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		rows, ok := a.int("rows")
		months, ok2 := monthsOf(e.EntityKey)
		return i18n.M("audit.what.figures.insert", "count", rows, "months", months), ok && ok2
	},
	"import/apply": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return importMsg("audit.what.import.apply", e, a)
	},
	"import/revert": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return importMsg("audit.what.import.revert", e, b)
	},
	"month/submit":  monthMove("audit.what.month.submit"),
	"month/publish": monthPublish,
	"month/return":  monthMove("audit.what.month.return"),
	"month/reopen":  monthMove("audit.what.month.reopen"),
	"user/create": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("audit.what.user.create", "email", e.EntityKey, "role", RoleMsg(a.str("role"))), a.has("role")
	},
	"user/update": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		var changes []i18n.Msg
		if b.str("role") != a.str("role") {
			changes = append(changes, i18n.M("audit.change.role", "before", RoleMsg(b.str("role")), "after", RoleMsg(a.str("role"))))
		}
		if b.bool("disabled") != a.bool("disabled") {
			changes = append(changes, i18n.M(map[bool]string{true: "audit.change.disabled", false: "audit.change.enabled"}[a.bool("disabled")]))
		}
		if b.str("name") != a.str("name") {
			changes = append(changes, i18n.M("audit.change.name", "before", quoted(b.str("name")), "after", quoted(a.str("name"))))
		}
		if b.str("time_zone") != a.str("time_zone") {
			changes = append(changes, i18n.M("audit.change.time_zone", "before", ZoneMsg(b.str("time_zone")), "after", ZoneMsg(a.str("time_zone"))))
		}
		return changed("audit.what.user.update", changes, "email", e.EntityKey), a.has("role")
	},
	"setting/update": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("audit.what.setting.update", "setting", i18n.M("settings."+e.EntityKey+".label"),
			"before", settingValue(e.EntityKey, b), "after", settingValue(e.EntityKey, a)), a.has("value")
	},
	"user/change-password": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("audit.what.user.change_password", "email", e.EntityKey), true
	},
	"user/reset-password": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("audit.what.user.reset_password", "email", e.EntityKey), true
	},
	"token/create": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("audit.what.token.create", "name", a.str("name"), "prefix", e.EntityKey, "email", a.str("user")), a.has("name")
	},
	"token/revoke": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("audit.what.token.revoke", "name", a.str("name"), "prefix", e.EntityKey), a.has("name")
	},
	"session/sign-in": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		if a.str("method") == "oidc" {
			if addr := a.str("address"); addr != "" {
				return i18n.M("sso.audit.sign_in_from", "issuer", a.str("issuer"), "address", addr), true
			}
			return i18n.M("sso.audit.sign_in", "issuer", a.str("issuer")), true
		}
		if addr := a.str("address"); addr != "" {
			return i18n.M("audit.what.session.sign_in_from", "address", addr), true
		}
		return i18n.M("audit.what.session.sign_in"), true
	},
	"session/sign-in-failed": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		if addr := a.str("address"); addr != "" {
			return i18n.M("audit.what.session.sign_in_failed_from", "email", e.EntityKey, "address", addr), true
		}
		return i18n.M("audit.what.session.sign_in_failed", "email", e.EntityKey), true
	},
	"session/sign-in-throttled": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		secs, ok := a.int("wait_seconds")
		return i18n.M("audit.what.session.sign_in_throttled", "email", e.EntityKey, "address", a.str("address"),
			"wait", time.Duration(secs)*time.Second), ok && a.str("address") != ""
	},
	"session/sign-out": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("audit.what.session.sign_out"), true
	},
	// Single sign-on: a refusal after the provider vouched for the person,
	// an account linked to the provider's person, and the requests for access.
	"session/sign-in-refused": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		id := map[string]string{"disabled": "disabled", "email-unverified": "email_unverified", "no-rule": "no_rule"}[a.str("reason")]
		return i18n.M("sso.audit.refused."+id, "email", e.EntityKey, "issuer", a.str("issuer")), id != ""
	},
	"identity/link": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("sso.audit.link", "email", e.EntityKey, "issuer", a.str("issuer")), a.has("issuer")
	},
	"access/request": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("sso.audit.request", "email", e.EntityKey, "issuer", a.str("issuer")), a.has("issuer")
	},
	"access/grant": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("sso.audit.grant", "email", e.EntityKey, "role", RoleMsg(a.str("role"))), a.has("role")
	},
	"access/dismiss": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("sso.audit.dismiss", "email", e.EntityKey), true
	},
	"target/create": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		v, ok := a.int("value")
		start, err1 := month.Parse(a.str("start"))
		end, err2 := month.Parse(a.str("end"))
		return i18n.M("audit.what.target.create", "name", targetName(e, a, n), "count", v, "start", start, "end", end), ok && err1 == nil && err2 == nil
	},
	"target/update": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return changed("audit.what.target.update", targetChanges(b, a), "name", targetName(e, a, n)), a.has("value")
	},
	"category/create": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return i18n.M("audit.what.category.create", "name", categoryName(e, a, n), "code", e.EntityKey), a.has("name_en")
	},
	"category/update": func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		return changed("audit.what.category.update", categoryChanges(b, a), "name", categoryName(e, a, n), "code", e.EntityKey), a.has("name_en")
	},
	"comment/create": commentCreate,
	"flag/confirm":   flagConfirm,
	"body/create":    bodyDescribe("audit.what.body.create"),
	"body/update":    bodyDescribe("audit.what.body.update"),
	"body/delete":    bodyDescribe("audit.what.body.delete"),

	// The demonstration database's figures, given the times a reporting cycle would have.
	"figures/arrivals": figuresArrivals,
}

// Describe says in the reader's words what an entry records: "Changed
// Students, India to Japan, September 2025: 143 → 150", "Published
// October 2025 (was: submitted)", "Signed in". An action this package does not
// know is told with its raw action, kind and key.
func Describe(e Entry, n Names) i18n.Msg {
	if d, ok := describers[e.Entity+"/"+e.Action]; ok {
		if m, ok := d(e, recordOf(e.Before), recordOf(e.After), n); ok {
			return m
		}
	}
	return i18n.M("audit.what.unknown", "action", e.Action, "entity", EntityMsg(e.Entity), "key", e.EntityKey)
}

// Known reports whether Describe has its own sentence for an action on a kind of thing.
func Known(entity, action string) bool { _, ok := describers[entity+"/"+action]; return ok }

// EntityMsg names a kind of thing the log records ("figure", "user" …) in the
// reader's words, for the filter; an unknown kind shows as it is.
func EntityMsg(entity string) i18n.Msg {
	switch entity {
	case "figure", "cell", "figures", "import", "month", "user", "token", "session", "target", "category", "setting", "comment", "flag", "body":
		return i18n.M("audit.entity." + entity)
	}
	return i18n.Text(entity)
}

// StateMsg names a month's state in the reader's words.
func StateMsg(state string) i18n.Msg {
	switch state {
	case "open", "submitted", "published":
		return i18n.M("audit.state." + state)
	}
	return i18n.Text(state)
}

// RoleMsg names a person's role in the reader's words.
func RoleMsg(role string) i18n.Msg {
	switch role {
	case "viewer", "editor", "approver", "admin":
		return i18n.M("audit.role." + role)
	}
	return i18n.Text(role)
}

// importReasonRe reads the reason imports give a cell's change: "import #12 (oct.csv)".
var importReasonRe = regexp.MustCompile(`^import #(\d+) \((.*)\)$`)

// ReasonMsg is an entry's reason in the reader's words: the product's own
// reasons translated, a person's (a comment, a file name) as they wrote it.
func ReasonMsg(e Entry) i18n.Msg {
	switch r := e.Reason; {
	case r == "month form":
		return i18n.M("audit.reason.month_form")
	case r == "rows form":
		return i18n.M("audit.reason.rows_form")
	case r == "demonstration data set":
		return i18n.M("audit.reason.demo")
	case importReasonRe.MatchString(r):
		m := importReasonRe.FindStringSubmatch(r)
		return i18n.M("audit.reason.import", "id", m[1], "file", m[2])
	default:
		return i18n.Text(r)
	}
}

// cellOf names a cell of the month grid from a key "2025-09/IN-JP/student"
// (and, for a row broken down, "/sector/region…" after it).
func cellOf(key string, n Names) (i18n.Msg, bool) {
	parts := strings.Split(key, "/")
	if len(parts) < 3 {
		return i18n.Msg{}, false
	}
	m, err := month.Parse(parts[0])
	if err != nil {
		return i18n.Msg{}, false
	}
	if len(parts) > 3 {
		return i18n.M("audit.cell_part", "category", n.category(parts[2]), "direction", n.direction(parts[1]), "month", m, "parts", parts[3:]), true
	}
	return i18n.M("audit.cell", "category", n.category(parts[2]), "direction", n.direction(parts[1]), "month", m), true
}

// cellTotal is the sentence for a cell's total changed by an import, a revert or a bulk insert.
func cellTotal(id string) describer {
	return func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		cell, ok := cellOf(e.EntityKey, n)
		return i18n.M(id, "cell", cell, "before", b.count("total"), "after", a.count("total")), ok
	}
}

// monthsOf reads one month "2025-09" or a range "2025-09..2026-08" for a sentence.
func monthsOf(s string) (any, bool) {
	from, to, isRange := strings.Cut(s, "..")
	a, err := month.Parse(from)
	if err != nil {
		return nil, false
	}
	if !isRange {
		return a, true
	}
	b, err := month.Parse(to)
	if err != nil {
		return nil, false
	}
	if a == b {
		return a, true
	}
	return i18n.M("audit.months", "from", a, "to", b), true
}

// importMsg is the sentence for applying or reverting an import, from its summary.
func importMsg(id string, e Entry, sum record) (i18n.Msg, bool) {
	file := sum.str("file")
	if file == "" {
		file = e.Reason
	}
	nw, ok1 := sum.int("new")
	ch, ok2 := sum.int("changed")
	rm, ok3 := sum.int("removed")
	if e.Month == "" {
		return i18n.M(id+"_nomonths", "id", e.EntityKey, "file", file, "new", nw, "changed", ch, "removed", rm), ok1 && ok2 && ok3
	}
	months, ok := monthsOf(e.Month)
	return i18n.M(id, "id", e.EntityKey, "file", file, "months", months, "new", nw, "changed", ch, "removed", rm), ok && ok1 && ok2 && ok3
}

// monthMove is the sentence for a month moved through the workflow.
func monthMove(id string) describer {
	return func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		m, err := month.Parse(e.EntityKey)
		return i18n.M(id, "month", m, "was", StateMsg(b.str("state"))), err == nil && b.has("state")
	}
}

// monthPublish is the sentence for a publication, saying when it was of
// "nothing to report" and when the four-eyes rule was set aside for it.
func monthPublish(e Entry, b, a record, n Names) (i18n.Msg, bool) {
	id := "audit.what.month.publish"
	if a.bool("nothing_to_report") {
		id += "_nothing"
	}
	if a.bool("single_approver") {
		id += "_single"
	}
	return monthMove(id)(e, b, a, n)
}

// changed is a sentence listing what changed, or saying nothing did.
func changed(id string, changes []i18n.Msg, nameValues ...any) i18n.Msg {
	if len(changes) == 0 {
		return i18n.M(id+"_none", nameValues...)
	}
	return i18n.M(id, append(nameValues, "changes", changes)...)
}

func targetName(e Entry, a record, n Names) string {
	if s := n.pick(a.str("name_en"), a.str("name_ja"), a.str("name_hi")); s != "" {
		return s
	}
	return e.EntityKey
}

func categoryName(e Entry, a record, n Names) string {
	if s := n.pick(a.str("name_en"), a.str("name_ja"), a.str("name_hi")); s != "" {
		return s
	}
	return e.EntityKey
}

// names lists the changes to the names in each language.
func names(b, a record) []i18n.Msg {
	var out []i18n.Msg
	for _, f := range []string{"name_en", "name_ja", "name_hi"} {
		if b.str(f) != a.str(f) {
			out = append(out, i18n.M("audit.change."+f, "before", quoted(b.str(f)), "after", quoted(a.str(f))))
		}
	}
	return out
}

func targetChanges(b, a record) []i18n.Msg {
	out := names(b, a)
	bv, _ := b.int("value")
	av, _ := a.int("value")
	if bv != av {
		out = append(out, i18n.M("audit.change.target_value", "before", bv, "after", av))
	}
	if b.str("start") != a.str("start") || b.str("end") != a.str("end") {
		bs, _ := month.Parse(b.str("start"))
		be, _ := month.Parse(b.str("end"))
		as, _ := month.Parse(a.str("start"))
		ae, _ := month.Parse(a.str("end"))
		out = append(out, i18n.M("audit.change.window", "before", i18n.M("audit.months", "from", bs, "to", be), "after", i18n.M("audit.months", "from", as, "to", ae)))
	}
	if b.str("directions") != a.str("directions") {
		out = append(out, i18n.M("audit.change.directions"))
	}
	if b.str("categories") != a.str("categories") || b.bool("skilled_only") != a.bool("skilled_only") {
		out = append(out, i18n.M("audit.change.categories"))
	}
	if milestonesOf(b) != milestonesOf(a) {
		out = append(out, i18n.M("audit.change.milestones"))
	}
	if b.bool("published") != a.bool("published") {
		out = append(out, i18n.M(map[bool]string{true: "audit.change.published", false: "audit.change.unpublished"}[a.bool("published")]))
	}
	return out
}

func categoryChanges(b, a record) []i18n.Msg {
	out := names(b, a)
	if b.str("description_en") != a.str("description_en") {
		out = append(out, i18n.M("audit.change.description_en"))
	}
	if b.bool("skilled") != a.bool("skilled") {
		out = append(out, i18n.M(map[bool]string{true: "audit.change.skilled", false: "audit.change.not_skilled"}[a.bool("skilled")]))
	}
	if b.bool("retired") != a.bool("retired") {
		out = append(out, i18n.M(map[bool]string{true: "audit.change.retired", false: "audit.change.in_use"}[a.bool("retired")]))
	}
	return out
}

// milestonesOf is a target's milestones as recorded, for comparing: none
// written as null or as [] are the same.
func milestonesOf(r record) string {
	if l, ok := r["milestones"].([]any); !ok || len(l) == 0 {
		return ""
	}
	b, _ := json.Marshal(r["milestones"])
	return string(b)
}

// quoted is a name as a sentence quotes it, or "none" when there was none.
func quoted(s string) i18n.Msg {
	if s == "" {
		return i18n.M("audit.value.none")
	}
	return i18n.M("audit.quoted", "text", s)
}

// ZoneMsg names a time zone setting in the reader's words ("" follows the language).
func ZoneMsg(name string) i18n.Msg {
	switch name {
	case "":
		return i18n.M("users.zone.auto")
	case "Asia/Kolkata":
		return i18n.M("users.zone.ist")
	case "Asia/Tokyo":
		return i18n.M("users.zone.jst")
	case "UTC":
		return i18n.M("users.zone.utc")
	}
	return i18n.Text(name)
}

// settingValue is a setting's recorded value in words: on or off for the
// four-eyes rule, the number otherwise.
func settingValue(name string, r record) any {
	n, ok := r["value"].(json.Number)
	if !ok {
		return i18n.M("audit.value.none")
	}
	f, _ := n.Float64()
	if name == "four_eyes" {
		if f != 0 {
			return i18n.M("audit.value.on")
		}
		return i18n.M("audit.value.off")
	}
	return f
}
