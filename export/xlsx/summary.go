package xlsx

import (
	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/format"
)

// summary writes the "Report" sheet: the instant and time zone of the
// report, then its warnings, unpriced events and cascade issues, one a row.
func (b *book) summary(rep *goalkit.Report) error {
	s, err := b.sheet("Report")
	if err != nil {
		return err
	}
	s.header("report", "")
	line := func(what, v string) {
		s.next()
		s.text(1, what)
		s.text(2, v)
	}
	line("as of", format.Instant(rep.AsOf, b.plan.Calendar().Location()))
	line("time zone", rep.Timezone)
	if rep.Values != nil {
		for _, wn := range rep.Values.Warnings {
			line("warning", format.Place(wn.Indicator, b.named.Who(b.plan.WarningKind(rep, wn), wn.Participant), wn.Period)+": "+wn.Msg)
		}
		for _, u := range rep.Values.Unpriced {
			rate := "no rate"
			if u.RateDate != "" {
				rate = "no rate on " + u.RateDate // rate: period_end
			}
			line("unpriced", u.Indicator+": event "+format.CellIsolate(u.Event)+", "+u.Amount+" "+u.Currency+" on "+u.Date+" ("+rate+")")
		}
	}
	if rep.Cascade != nil {
		for _, is := range rep.Cascade.Issues {
			line("cascade issue", is.String())
		}
	}
	return s.finish()
}
