package report

import (
	"hrx/internal/i18n"
	"hrx/internal/progress"
)

// The words the dashboard, the target pages and the widgets all say about a
// target's progress, as messages (catalog area "status"), written once here.

// Statuses lists every status in the order a key to them shows.
var Statuses = []progress.Status{progress.NotStarted, progress.OnTrack, progress.AtRisk, progress.OffTrack, progress.Achieved}

// statusKeys are the catalog keys of each status's word and phrase.
var statusKeys = map[progress.Status]string{
	progress.NotStarted: "not_started",
	progress.OnTrack:    "on_track",
	progress.AtRisk:     "at_risk",
	progress.OffTrack:   "off_track",
	progress.Achieved:   "achieved",
}

// statusShapes go beside the status word, so that status is never told by
// colour alone.
var statusShapes = map[progress.Status]string{
	progress.NotStarted: "○",
	progress.OnTrack:    "✓",
	progress.AtRisk:     "▲",
	progress.OffTrack:   "✕",
	progress.Achieved:   "★",
}

// known is s, or NotStarted for a status this version does not know.
func known(s progress.Status) progress.Status {
	if _, ok := statusKeys[s]; ok {
		return s
	}
	return progress.NotStarted
}

// StatusWord is a status as it stands beside its shape: "On track".
func StatusWord(s progress.Status) i18n.Msg { return i18n.M("status.word." + statusKeys[known(s)]) }

// StatusPhrase is a status inside a sentence: "…, on track, as of …".
func StatusPhrase(s progress.Status) i18n.Msg {
	return i18n.M("status.phrase." + statusKeys[known(s)])
}

// StatusShape is the shape shown with a status: ✓ on track, ▲ at risk, ✕ off track.
func StatusShape(s progress.Status) string { return statusShapes[known(s)] }

// Headline is "9,592 of 50,000 people (19.2%)".
func (tp TargetProgress) Headline() i18n.Msg {
	return i18n.M("status.of_people", "achieved", tp.Result.Achieved, "target", tp.Target.Value, "percent", tp.Result.Percent)
}

// OfTarget is "of 50,000 people", written after the headline number.
func (tp TargetProgress) OfTarget() i18n.Msg {
	return i18n.M("status.of_target", "target", tp.Target.Value)
}

// AsOf is "As of October 2026": the latest month with figures.
func (tp TargetProgress) AsOf() i18n.Msg { return i18n.M("status.as_of", "month", tp.Result.AsOf) }

// NeedArg is the argument of Need that holds the number of people, for
// callers that set it in markup of their own.
const NeedArg = "people"

// Need is "1,398 people a month still needed", the number that matters most;
// ok is false when nothing more is needed.
func (tp TargetProgress) Need() (m i18n.Msg, ok bool) {
	r := tp.Result
	if !r.HasData() || r.Status == progress.Achieved || r.RequiredMonthly <= 0 {
		return i18n.Msg{}, false
	}
	return i18n.M("status.need", NeedArg, r.RequiredMonthly), true
}

// AheadOrBehind is "312 ahead of the expected 9,280" or "…behind…".
func (tp TargetProgress) AheadOrBehind() i18n.Msg {
	r := tp.Result
	if r.AheadBy < 0 {
		return i18n.M("status.behind", "by", -r.AheadBy, "expected", r.Expected)
	}
	return i18n.M("status.ahead", "by", r.AheadBy, "expected", r.Expected)
}

// Sentence is the one thing a reader should take away about a target called
// name: how many people had moved by the latest month, against the target and
// the expected path, or that there are no figures yet.
func (tp TargetProgress) Sentence(name string) i18n.Msg {
	r := tp.Result
	if r.Status == progress.NotStarted {
		return i18n.M("status.sentence.not_started", "name", name)
	}
	return i18n.M("status.sentence.by_end", "month", r.AsOf, "achieved", r.Achieved, "percent", r.Percent, "ahead", tp.AheadOrBehind())
}

// Summary is the whole progress of the target called name in one line, for
// an image's title or a widget's label: "Skilled personnel…: 9,592 of 50,000
// people (19.2%), off track, as of October 2026".
func (tp TargetProgress) Summary(name string) i18n.Msg {
	r := tp.Result
	if tp.Empty() {
		return i18n.M("status.summary_empty", "name", name, "target", tp.Target.Value, "start", tp.Target.Start, "end", tp.Target.End)
	}
	return i18n.M("status.summary", "name", name, "achieved", r.Achieved, "target", tp.Target.Value, "percent", r.Percent,
		"status", StatusPhrase(r.Status), "month", r.AsOf)
}

// Empty reports whether the target has no figures in its window yet: then
// nothing computed from figures (expected, ahead or behind, run rate,
// projection, need, months elapsed) is shown, only the target and its window.
func (tp TargetProgress) Empty() bool { return !tp.Result.HasData() }

// TargetBy is "Target: 50,000 people by August 2030", for the empty state.
func (tp TargetProgress) TargetBy() i18n.Msg {
	return i18n.M("status.target_by", "target", tp.Target.Value, "end", tp.Target.End)
}

// TargetWindow is "Target: 50,000 people, September 2025 to August 2030",
// the empty state in one line.
func (tp TargetProgress) TargetWindow() i18n.Msg {
	return i18n.M("status.target_window", "target", tp.Target.Value, "start", tp.Target.Start, "end", tp.Target.End)
}

// FirstMonth is "First month counted: September 2025", for the empty state:
// the month whose figures are the first to count.
func (tp TargetProgress) FirstMonth() i18n.Msg {
	return i18n.M("status.first_month", "month", tp.Target.Start)
}

// NoFiguresYet is what a target without published figures says first: "No
// figures published yet".
func NoFiguresYet() i18n.Msg { return i18n.M("status.no_figures") }

// NoFiguresRecorded is what a target says to staff who see every figure,
// published or not, when there are none: "No figures recorded yet".
func NoFiguresRecorded() i18n.Msg { return i18n.M("status.no_figures_recorded") }

// EmptyNote says when a target without figures will show its progress.
func EmptyNote() i18n.Msg { return i18n.M("status.empty_note") }
