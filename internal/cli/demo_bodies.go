package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/bodies"
	"hrx/internal/completeness"
	"hrx/internal/db"
	"hrx/internal/month"
	"hrx/internal/users"
)

// demoBody is one of the demonstration's reporting bodies and the people who act for it.
type demoBody struct {
	en, ja, hi string
	dueDay     int
	cells      []string
	members    []users.NewUser
}

// demoBodies are three reporting bodies with an editor each and one
// approver for all; the short-term programmes and Japanese language
// teachers in India have no body, so they fall to the administrators.
var demoBodies = []demoBody{
	{"Ministry of External Affairs, emigration desk", "インド外務省 移住担当課", "विदेश मंत्रालय, उत्प्रवास डेस्क", 15,
		[]string{"IN-JP/engineer", "IN-JP/hsp", "IN-JP/ssw", "IN-JP/titp", "IN-JP/business", "IN-JP/other"},
		[]users.NewUser{{Email: "emigration.editor@example.org", Name: "Emigration desk editor", Role: users.Editor}}},
	{"Immigration Services Agency of Japan, statistics office", "出入国在留管理庁 統計担当", "जापान आप्रवासन सेवा एजेंसी, सांख्यिकी कार्यालय", 10,
		[]string{"JP-IN/engineer", "JP-IN/hsp", "JP-IN/ssw", "JP-IN/titp", "JP-IN/business", "JP-IN/other"},
		[]users.NewUser{{Email: "immigration.editor@example.org", Name: "Statistics office editor", Role: users.Editor}}},
	{"Student exchange agency", "学生交流機関", "छात्र विनिमय एजेंसी", 20,
		[]string{"IN-JP/student", "JP-IN/student", "IN-JP/researcher", "JP-IN/researcher", "IN-JP/language_teacher"},
		[]users.NewUser{{Email: "exchange.editor@example.org", Name: "Exchange agency editor", Role: users.Editor}}},
}

// demoApprover reviews every demonstration body's months.
var demoApprover = users.NewUser{Email: "reviewer@example.org", Name: "Demo approver", Role: users.Approver}

// seedDemoBodies adds the demonstration's reporting bodies and their
// members, once: nothing is done when any body exists.
func seedDemoBodies(ctx context.Context, d *db.DB, out io.Writer) error {
	bs := bodies.NewStore(d)
	list, err := bs.List(ctx)
	if err != nil || len(list) > 0 {
		return err
	}
	us := users.NewStore(d)
	actor := audit.System("hrx demo")
	member := func(nu users.NewUser) (string, error) {
		u, err := us.ByEmail(ctx, nu.Email)
		if errors.Is(err, apperr.ErrNotFound) {
			nu.Password = demoPassword
			u, err = us.Create(ctx, actor, nu)
		}
		return strconv.FormatInt(u.ID, 10), err
	}
	approver, err := member(demoApprover)
	if err != nil {
		return err
	}
	for _, b := range demoBodies {
		in := bodies.Input{NameEN: b.en, NameJA: b.ja, NameHI: b.hi, DueDay: strconv.Itoa(b.dueDay), Cells: b.cells, Members: []string{approver}}
		for _, nu := range b.members {
			id, err := member(nu)
			if err != nil {
				return err
			}
			in.Members = append(in.Members, id)
		}
		if _, err := bs.Save(ctx, actor, users.Admin, in); err != nil {
			return fmt.Errorf("adding the demonstration body %s: %w", b.en, err)
		}
	}
	fmt.Fprintf(out, "Demonstration data: %d reporting bodies, with editors and an approver who sign in with the demo password.\n", len(demoBodies))
	return nil
}

// demoArrivals gives the months just added the times a reporting cycle
// would have given their figures, for the completeness page.
func demoArrivals(ctx context.Context, d *db.DB, added map[string]bool, today time.Time) error {
	var months []month.Month
	for m := range added {
		months = append(months, month.MustParse(m))
	}
	return completeness.NewStore(d).DemoArrivals(ctx, audit.System("hrx demo"), months, today)
}
