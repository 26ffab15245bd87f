package web

import "hrx/internal/i18n"

// The Action Plan's two goals, which the dashboard's introduction and every
// page's footer name; they are passed to the messages as numbers so that each
// reader sees them in their own convention (500,000 or 5,00,000).
const (
	actionPlanPeople  = 500000 // people moving in both directions over the five years
	actionPlanSkilled = 50000  // of them, skilled personnel from India to Japan
)

// ActionPlanLede is the dashboard's introduction: what the Action Plan aims for.
func (p Page) ActionPlanLede() i18n.Msg {
	return i18n.M("dashboard.lede", "people", actionPlanPeople, "skilled", actionPlanSkilled)
}

// AboutMsg is the footer's sentence on what HRX tracks.
func (p Page) AboutMsg() i18n.Msg {
	return i18n.M("layout.footer.about", "people", actionPlanPeople, "skilled", actionPlanSkilled)
}
