package config

import (
	"io"
	"strings"
	"testing"
)

func TestRemindDaysBefore(t *testing.T) {
	for v, want := range map[string]int{"": 3, "5": 5, "14": 14} {
		c, err := Parse("hrx", nil, func(k string) string {
			if k == "HRX_REMIND_DAYS_BEFORE" {
				return v
			}
			return ""
		}, io.Discard)
		if err != nil || c.RemindBefore != want {
			t.Errorf("%q: %d, %v", v, c.RemindBefore, err)
		}
	}
	for _, v := range []string{"0", "15", "three"} {
		if _, err := Parse("hrx", nil, func(k string) string {
			if k == "HRX_REMIND_DAYS_BEFORE" {
				return v
			}
			return ""
		}, io.Discard); err == nil || !strings.Contains(err.Error(), "from 1 to 14") {
			t.Errorf("%q: %v", v, err)
		}
	}
}

func TestParseMail(t *testing.T) {
	cases := []struct {
		url, from string
		want      Mail
		err       string
	}{
		{"", "", Mail{}, ""},
		{"smtp://user:pa%40ss@mail.example.gov:587", "hrx@example.gov",
			Mail{Host: "mail.example.gov", Port: 587, Username: "user", Password: "pa@ss", TLS: TLSOpportunistic, From: "hrx@example.gov"}, ""},
		{"smtp://user:p@mail.example.gov?tls=required", "HRX <hrx@example.gov>",
			Mail{Host: "mail.example.gov", Port: 587, Username: "user", Password: "p", TLS: TLSRequired, From: "HRX <hrx@example.gov>"}, ""},
		{"smtps://user:p@mail.example.gov", "hrx@example.gov",
			Mail{Host: "mail.example.gov", Port: 465, Username: "user", Password: "p", TLS: TLSImplicit, From: "hrx@example.gov"}, ""},
		{"smtp://127.0.0.1:2525", "hrx@example.gov",
			Mail{Host: "127.0.0.1", Port: 2525, TLS: TLSOpportunistic, From: "hrx@example.gov"}, ""},
		{"smtp://127.0.0.1:2525", "", Mail{}, "HRX_MAIL_FROM must be too"},
		{"smtp://127.0.0.1:2525", "not an address", Mail{}, "HRX_MAIL_FROM must be an e-mail address"},
		{"http://mail.example.gov", "hrx@example.gov", Mail{}, "must start with smtp://"},
		{"smtp://mail.example.gov?tls=maybe", "hrx@example.gov", Mail{}, "tls=maybe is not known"},
		{"smtp://mail.example.gov:99999", "hrx@example.gov", Mail{}, "the port must be"},
		{"mail.example.gov", "hrx@example.gov", Mail{}, "must look like"},
	}
	for _, c := range cases {
		got, err := ParseMail(c.url, c.from)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.url, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.url, got, err, c.want)
		}
	}
	m, _ := ParseMail("smtp://user:secret@mail.example.gov:587?tls=required", "hrx@example.gov")
	if s := m.String(); strings.Contains(s, "secret") || s != "smtp://user@mail.example.gov:587?tls=required" {
		t.Errorf("String %q", s)
	}
}
