package imports

import (
	"encoding/json"
	"fmt"
	"time"

	"hrx/internal/i18n"
	"hrx/internal/month"
)

// Messages as the import tables keep them: the id in one column and the
// arguments, with their types, as JSON in another; so that a preview read a
// week later is written in the language of whoever reads it then, with its
// numbers and months in their convention.

// storedArg is one argument of a stored message. Kind keeps the type that
// decides how the reader sees the value: s text, i whole number, f number,
// mo month, t time, d duration, m message, l list of texts, ml list of messages.
type storedArg struct {
	Name string          `json:"n"`
	Kind string          `json:"k"`
	Val  json.RawMessage `json:"v"`
}

// storedMsg is a message nested in an argument: an id with arguments, or
// someone's own words.
type storedMsg struct {
	ID   string      `json:"id,omitempty"`
	Text string      `json:"text,omitempty"`
	Args []storedArg `json:"args,omitempty"`
}

// encodeMsg returns a message's id and its arguments as JSON ("" when it has
// none). A message without an id (someone's own words) is stored with the id
// "" and its words as the text the caller keeps beside it.
func encodeMsg(m i18n.Msg) (id, args string) {
	if len(m.Args) == 0 {
		return m.ID, ""
	}
	b, err := json.Marshal(storeArgs(m.Args))
	if err != nil { // every value storeArgs makes can be marshalled
		panic(err)
	}
	return m.ID, string(b)
}

// decodeMsg reads a stored message back. text is what the row keeps beside
// it, in English: the message itself for rows stored before messages had ids,
// and for someone's own words.
func decodeMsg(id, args, text string) i18n.Msg {
	if id == "" {
		return i18n.Text(text)
	}
	var list []storedArg
	if args != "" {
		if err := json.Unmarshal([]byte(args), &list); err != nil {
			return i18n.Text(text)
		}
	}
	return i18n.Msg{ID: id, Args: loadArgs(list)}
}

func storeArgs(args []i18n.Arg) []storedArg {
	out := make([]storedArg, len(args))
	for i, a := range args {
		kind, v := storeValue(a.Value)
		b, _ := json.Marshal(v)
		out[i] = storedArg{Name: a.Name, Kind: kind, Val: b}
	}
	return out
}

func storeValue(v any) (string, any) {
	switch x := v.(type) {
	case string:
		return "s", x
	case int:
		return "i", int64(x)
	case int64:
		return "i", x
	case float64:
		return "f", x
	case month.Month:
		return "mo", x.String()
	case time.Time:
		return "t", x
	case time.Duration:
		return "d", int64(x)
	case i18n.Msg:
		return "m", storeNested(x)
	case []string:
		return "l", x
	case []i18n.Msg:
		list := make([]storedMsg, len(x))
		for i, m := range x {
			list[i] = storeNested(m)
		}
		return "ml", list
	case nil:
		return "s", ""
	}
	return "s", fmt.Sprint(v)
}

func storeNested(m i18n.Msg) storedMsg {
	if m.ID == "" {
		return storedMsg{Text: m.String()}
	}
	return storedMsg{ID: m.ID, Args: storeArgs(m.Args)}
}

func loadArgs(list []storedArg) []i18n.Arg {
	out := make([]i18n.Arg, len(list))
	for i, a := range list {
		out[i] = i18n.Arg{Name: a.Name, Value: loadValue(a.Kind, a.Val)}
	}
	return out
}

func loadValue(kind string, raw json.RawMessage) any {
	switch kind {
	case "i":
		var n int64
		json.Unmarshal(raw, &n)
		return n
	case "f":
		var f float64
		json.Unmarshal(raw, &f)
		return f
	case "mo":
		var s string
		json.Unmarshal(raw, &s)
		if m, err := month.Parse(s); err == nil {
			return m
		}
		return s
	case "t":
		var t time.Time
		json.Unmarshal(raw, &t)
		return t
	case "d":
		var d int64
		json.Unmarshal(raw, &d)
		return time.Duration(d)
	case "m":
		var m storedMsg
		json.Unmarshal(raw, &m)
		return loadNested(m)
	case "l":
		var l []string
		json.Unmarshal(raw, &l)
		return l
	case "ml":
		var l []storedMsg
		json.Unmarshal(raw, &l)
		out := make([]i18n.Msg, len(l))
		for i, m := range l {
			out[i] = loadNested(m)
		}
		return out
	}
	var s string
	json.Unmarshal(raw, &s)
	return s
}

func loadNested(m storedMsg) i18n.Msg {
	if m.ID == "" {
		return i18n.Text(m.Text)
	}
	return i18n.Msg{ID: m.ID, Args: loadArgs(m.Args)}
}
