package goal

import (
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// A Set is immutable, as its doc says: a host that changes its definitions
// once they compiled changes nothing the set evaluates (the targets by participant and by period, the participants,
// the milestones). The set read the host's maps and slices at every
// evaluation.
func TestCompileKeepsItsOwnDefinitions(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	defs := []Def{{ID: "leads", Indicator: "leads", Target: dp("50"), Period: PeriodDef{From: d("2025-03-01"), Every: period.Month},
		Participants:        ParticipantsDef{Users: []string{"anna", "boris"}},
		TargetByPeriod:      map[string]decimal.Decimal{"2025-03": dec("60")},
		TargetByParticipant: map[string]decimal.Decimal{"boris": dec("70")},
		Milestones:          []Milestone{Percent(50)}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, defs...)
	src := events{ev("l1", "lead.created", "anna", enginetest.At(cal, "2025-03-10 10:00"))}
	req := Request{AsOf: enginetest.At(cal, "2025-04-10 12:00"), From: d("2025-03-01"), To: d("2025-05-01")}
	want := []string{"leads 2025-03 anna 1/60", "leads 2025-03 boris 0/70", "leads 2025-04 anna 0/50", "leads 2025-04 boris 0/70"}
	if got := summary(evaluate(t, s, src, req)); !slices.Equal(got, want) {
		t.Fatalf("before: got %q\nwant %q", got, want)
	}
	change := func(d Def) {
		d.TargetByParticipant["boris"] = dec("7")
		d.TargetByParticipant["anna"] = dec("1")
		d.TargetByPeriod["2025-04"] = dec("5")
		d.Participants.Users[1] = "carl"
		d.Milestones[0] = Milestone{Value: dec("1")}
		*d.Target = dec("9")
	}
	change(defs[0])
	g, _ := s.Lookup("leads")
	if got := summary(evaluate(t, s, src, req)); !slices.Equal(got, want) {
		t.Errorf("after the changes: got %q\nwant %q", got, want)
	}
	if d := g.Def(); d.TargetByParticipant["boris"].String() != "70" || len(d.TargetByParticipant) != 1 ||
		d.Participants.Users[1] != "boris" || d.Milestones[0].String() != "50%" || d.Target.String() != "50" {
		t.Errorf("Def after the changes: %+v", d)
	}
}
