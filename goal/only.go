package goal

import (
	"slices"
	"strings"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/score"
)

// narrow returns the instances that measure the participant of
// Request.Only, and those whose participants are still to be found among
// the events (a company goal for each member without a directory).
func (e *evaluator) narrow(insts []*inst) []*inst {
	only := e.req.Only
	out := make([]*inst, 0, len(insts))
	for _, in := range insts {
		if in.dynamic || len(placesOf(in.subjects, only)) > 0 {
			out = append(out, in)
		}
	}
	return out
}

// placesOf returns the places of the subjects of participant id among ss,
// which sortSubjects sorted: the users by a binary search, the teams and
// the company one by one.
func placesOf(ss []subject, id string) []int {
	var out []int
	i, _ := slices.BinarySearchFunc(ss, id, byUser)
	for ; i < len(ss) && ss[i].kind == User && ss[i].id == id; i++ {
		out = append(out, i)
	}
	for j := firstOther(ss); j < len(ss); j++ {
		if ss[j].id == id {
			out = append(out, j)
		}
	}
	return out
}

// firstOther returns the place of the first subject that is not a user
// among ss, which sortSubjects sorted (len(ss) when there is none).
func firstOther(ss []subject) int {
	i, _ := slices.BinarySearchFunc(ss, struct{}{}, func(s subject, _ struct{}) int {
		if s.kind == User {
			return -1
		}
		return 1
	})
	return i
}

// byUser orders a subject against a user's id as sortSubjects orders
// them: the users first, by id.
func byUser(s subject, id string) int {
	if s.kind != User {
		return 1
	}
	return strings.Compare(s.id, id)
}

// narrowed returns the instances narrowed to the subjects of the
// participant id, each knowing their places among the instance's (inst.at);
// insts themselves while the subjects of one are still to be found.
func narrowed(insts []*inst, id string) []*inst {
	out := make([]*inst, len(insts))
	for k, in := range insts {
		if in.dynamic {
			return insts
		}
		m := &inst{g: in.g, p: in.p, pos: placesOf(in.subjects, id)}
		if m.pos == nil {
			m.pos = []int{}
		}
		for _, i := range m.pos {
			m.subjects = append(m.subjects, in.subjects[i])
		}
		out[k] = m
	}
	return out
}

// own returns the rows at AsOf (cur, a pass by instance over insts) of the
// participant of Request.Only, each ranked among the rows of its instance
// as rank ranks them all, and the pass of those rows alone by instance
// of mine (narrowed), for the notifications; cur itself when mine are not
// narrowed.
func (e *evaluator) own(insts, mine []*inst, cur *passed) ([]*Row, *passed) {
	var out []*Row
	nar := &passed{segs: make([]*segment, len(mine))}
	for k, in := range insts {
		sg := cur.segs[k]
		kept := e.keepsRanks(in, sg)
		start := len(out)
		for _, i := range places(mine[k], sg.rows, e.req.Only) {
			r := sg.rows[i]
			if rk := 0; !kept {
				if rk = rankBy(sg, i, &e.ranked); rk != r.Rank {
					c := *r // the row may be the last evaluation's
					c.Rank = rk
					r = &c
				}
			}
			out = append(out, r)
		}
		if m := mine[k]; m.pos != nil {
			ns := &segment{rows: out[start:len(out):len(out)], from: make([]int, len(m.pos))}
			for j, i := range m.pos {
				ns.correct(j, len(m.pos), sg.correction(i))
				ns.from[j] = sg.place(i)
			}
			nar.segs[k] = ns
		}
	}
	if len(mine) > 0 && mine[0].pos == nil {
		return out, cur
	}
	return out, nar
}

// places returns the places of the rows of participant id among the rows
// of an instance: those of m, when it is narrowed (inst.pos).
func places(m *inst, rows []*Row, id string) []int {
	if m.pos != nil {
		return m.pos
	}
	var out []int
	for i := range rows {
		if rows[i].Participant == id {
			out = append(out, i)
		}
	}
	return out
}

// rankAmong returns the rank of rows[i] among the rows of its kind, as
// rank gives it (score.Rank's competition rank: one more than the rows
// ranked strictly before it; 0 without an achievement).
func rankAmong(rows []*Row, i int) int {
	r := rows[i]
	if !standing(r.Achievement).Ranked() {
		return 0
	}
	n := 1
	for j := range rows {
		if rows[j].Kind == r.Kind && ahead(rows[j].Achievement, r.Achievement) {
			n++
		}
	}
	return n
}

// maxRerank bounds the rows of an instance computed again whose ranks
// rerank moves the others' by; past it, rank ranks them all again.
const maxRerank = 8

// rerank ranks the rows at AsOf of an instance (sg) whose subjects are
// the last evaluation's, in their places, a few of them computed again
// (the others kept): a kept row's rank moves by the computed rows that
// were ranked before it and are no longer, or are now and were not; a
// computed row is ranked among all (rankAmong). It reports whether it
// did; false leaves the ranks to rank.
func (e *evaluator) rerank(in *inst, sg *segment) bool {
	mr := e.priorInst(in)
	if in.dynamic || mr == nil || mr.at == nil || len(sg.rows) != len(mr.subjects) || sg.whole {
		return false
	}
	var moved []int
	for i := range sg.rows {
		switch sg.place(i) {
		case i:
		case -1:
			if was := mr.subjects[i]; was.id != in.subjects[i].id || was.kind != in.subjects[i].kind || len(moved) == maxRerank {
				return false
			}
			moved = append(moved, i)
		default:
			return false
		}
	}
	old := mr.at.rows
	for i, r := range sg.rows {
		if sg.place(i) < 0 {
			r.Rank = rankAmong(sg.rows, i) // computed by this evaluation
			continue
		}
		if r.Rank == 0 {
			continue // unranked then and now: its achievement is the same
		}
		rk := r.Rank
		for _, j := range moved {
			if sg.rows[j].Kind != r.Kind {
				continue
			}
			if ahead(old[j].Achievement, r.Achievement) {
				rk--
			}
			if ahead(sg.rows[j].Achievement, r.Achievement) {
				rk++
			}
		}
		if rk != r.Rank {
			sg.mutable(i).Rank = rk
		}
	}
	return true
}

// rankBy returns rankAmong(sg.rows, i), the rows kept from the last
// evaluation (sg.from) ranked by their ranks then, which order them among
// themselves: the kept rows ranked before row i are found by a binary
// search over those ranks, the rows computed again are compared one by
// one.
func rankBy(sg *segment, i int, scratch *[]int) int {
	rows := sg.rows
	r := rows[i]
	if sg.whole || !standing(r.Achievement).Ranked() {
		return rankAmong(rows, i)
	}
	n := 1
	top := 0
	for j := range rows {
		s := rows[j]
		switch {
		case j == i || s.Kind != r.Kind:
		case sg.place(j) < 0:
			if ahead(s.Achievement, r.Achievement) {
				n++
			}
		default:
			top = max(top, s.Rank)
		}
	}
	// of[k] is a kept row ranked k (-1: none), count[k] how many are:
	// with the ranks, in scratch (the caller's, reused).
	*scratch = slices.Grow((*scratch)[:0], 3*(top+1))[:3*(top+1)]
	of, count, ranks := (*scratch)[:top+1], (*scratch)[top+1:2*(top+1)], (*scratch)[2*(top+1):2*(top+1)]
	for k := range of {
		of[k], count[k] = -1, 0
	}
	for j := range rows {
		if s := rows[j]; j != i && s.Kind == r.Kind && sg.place(j) >= 0 && s.Rank > 0 {
			of[s.Rank], count[s.Rank] = j, count[s.Rank]+1
		}
	}
	for k := 1; k <= top; k++ {
		if of[k] >= 0 {
			ranks = append(ranks, k)
		}
	}
	// The kept rows ranked before row i are those of the first ranks.
	m, _ := slices.BinarySearchFunc(ranks, r, func(k int, r *Row) int {
		if ahead(rows[of[k]].Achievement, r.Achievement) {
			return -1
		}
		return 1
	})
	for _, k := range ranks[:m] {
		n += count[k]
	}
	return n
}

// standing is an achievement as score.Rank ranks it (see Result.rank).
func standing(a score.Achievement) score.Standing {
	return score.Standing{Value: a.Uncapped, Best: a.Met}
}

// ahead reports whether a ranks strictly before b.
func ahead(a, b score.Achievement) bool {
	sa, sb := standing(a), standing(b)
	if sa.Value.Valid && sb.Value.Valid {
		return decimalx.Cmp(sb.Value.Decimal, sa.Value.Decimal) < 0 // score.Compare's order
	}
	return score.Compare(sa, sb, false) < 0
}

// only keeps the rows, notifications and corrections of one participant,
// in new slices (the rows may be a Memo's).
func (r *Result) only(id string) {
	r.Rows = of(r.Rows, id, func(x **Row) string { return (*x).Participant })
	r.Notifications = of(r.Notifications, id, func(n *Notification) string { return n.Participant })
	r.Corrections = of(r.Corrections, id, func(c *Correction) string { return c.Participant })
}

// of returns, in a new slice, the elements of xs whose participant is id.
func of[T any](xs []T, id string, participant func(*T) string) []T {
	var out []T
	for i := range xs {
		if participant(&xs[i]) == id {
			out = append(out, xs[i])
		}
	}
	return out
}
