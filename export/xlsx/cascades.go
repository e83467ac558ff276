package xlsx

import (
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/internal/kindof"
)

// cascades writes the "Cascades" sheet: a row per node of each tree,
// parents first, the node's id indented by its depth.
func (b *book) cascades(rep *goalkit.Report) error {
	if rep.Cascade == nil || len(rep.Cascade.Trees) == 0 {
		return nil
	}
	s, err := b.sheet("Cascades")
	if err != nil {
		return err
	}
	s.header(b.withName("cascade", "node", "participant", "period", "target", "origin", "weight", "actual", "achievement", "met", "share", "contribution")...)
	for _, t := range rep.Cascade.Trees {
		f := format.Indicator(b.plan, t.Indicator)
		var walk func(n *cascade.Node, depth int)
		walk = func(n *cascade.Node, depth int) {
			s.next()
			s.text(1, t.Cascade)
			s.text(2, strings.Repeat("  ", depth)+n.ID)
			s.text(3, format.Who(n.Participant))
			s.text(4, n.Label)
			s.num(5, n.Target, f)
			s.text(6, string(n.Origin))
			s.num(7, n.Weight, format.Plain)
			s.num(8, n.Actual, f)
			s.num(9, n.Achievement, format.Ratio)
			s.flag(10, n.Met)
			s.num(11, n.Share, format.Ratio)
			s.num(12, n.Contribution, format.Ratio)
			s.who(13, kindof.Node(n.Kind), n.Participant)
			for _, c := range n.Children {
				walk(c, depth+1)
			}
		}
		walk(t.Root, 0)
	}
	return s.finish()
}
