package score

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// Direction says which way an indicator's values get better.
type Direction string

// The directions.
const (
	// HigherIsBetter: revenue, deals, conversion. The default.
	HigherIsBetter Direction = "higher"
	// LowerIsBetter: cost per lead, first response time.
	LowerIsBetter Direction = "lower"
)

func (d Direction) lower() bool { return d == LowerIsBetter }

// better reports whether a is strictly better than b in direction d.
func (d Direction) better(a, b decimal.Decimal) bool {
	if d.lower() {
		return decimalx.Cmp(a, b) < 0
	}
	return decimalx.Cmp(a, b) > 0
}

// CurvePoint is one point of a piecewise-linear scoring curve: an actual
// value and the score (in percent) it earns.
type CurvePoint struct {
	At    decimal.Decimal `json:"at"`
	Score decimal.Decimal `json:"score"`
}

// CurveStep is one row of a step table: an actual that reaches From (at or
// above it when higher is better, at or below when lower is better) earns
// Score (in percent).
type CurveStep struct {
	From  decimal.Decimal `json:"from"`
	Score decimal.Decimal `json:"score"`
}

// CurveDef declares a scoring curve other than the default one. Exactly one
// of its fields is set:
//   - Points: a piecewise-linear curve through the points, continued past the
//     first and last point along the end segments (then held by the floor and
//     the cap);
//   - Steps: a step table;
//   - Formula: a formula over actual, target, threshold, stretch and
//     achievement (see the scorecards documentation) giving the score in
//     percent.
type CurveDef struct {
	Points  []CurvePoint `json:"points,omitempty"`
	Steps   []CurveStep  `json:"steps,omitempty"`
	Formula string       `json:"formula,omitempty"`
}

// CurveSpec is everything that turns a KPI's actual into a score.
type CurveSpec struct {
	// Direction is HigherIsBetter (the default) or LowerIsBetter.
	Direction Direction
	// Target is the actual that scores 100 on the default curve.
	Target decimal.Decimal
	// Threshold is the actual that scores 0 on the default curve: 0 by
	// default when higher is better, twice the target when lower is better.
	Threshold *decimal.Decimal
	// Stretch, with StretchScore (default 150), adds a third point to the
	// default curve.
	Stretch      *decimal.Decimal
	StretchScore *decimal.Decimal
	// Curve replaces the default curve.
	Curve *CurveDef
	// Floor is the lowest score (default 0); Cap the highest (none by
	// default: over-achievement keeps scoring).
	Floor, Cap *decimal.Decimal
	// Places is how many decimal places a score keeps, 0..10 (a
	// scorecard's score_places); it is rounded half away from zero.
	Places int32
}

type curveKind uint8

const (
	curveLinear curveKind = iota
	curveSteps
	curveFormula
)

// Curve turns a KPI's actual into a score in percent. It is immutable and
// safe for concurrent use. A Curve is made by NewCurve: a nil or zero one
// has no curve, and its Score is an error.
type Curve struct {
	dir       Direction
	kind      curveKind
	points    []CurvePoint // by At ascending
	exps      [2]int32     // the least and greatest exponent of the points' At
	steps     []CurveStep  // worst to best
	prog      *formula.Program
	target    decimal.Decimal
	threshold decimal.NullDecimal
	stretch   decimal.NullDecimal
	floor     decimal.Decimal
	cap       decimal.NullDecimal
	places    int32
}

var (
	hundred    = decimal.NewFromInt(100)
	one        = decimal.NewFromInt(1)
	two        = decimal.NewFromInt(2)
	defStretch = decimal.NewFromInt(150)
)

// curveEnv is the environment of formula curves.
var curveEnvDecls = []formula.Decl{
	{Name: "actual", Type: formula.TypeNumber},
	{Name: "target", Type: formula.TypeNumber},
	{Name: "threshold", Type: formula.TypeNumber},
	{Name: "stretch", Type: formula.TypeNumber},
	{Name: "achievement", Type: formula.TypeNumber},
}

// NewCurve validates spec and compiles its curve. The error is a
// *problem.Error whose paths name the fields (threshold, curve.points[1], …).
// A number whose exponent is past ±10000, which a plan file cannot write, is
// refused first, alone.
func NewCurve(spec CurveSpec) (*Curve, error) {
	var ps problem.List
	for _, f := range []struct {
		path string
		v    any
	}{{"target", spec.Target}, {"threshold", spec.Threshold}, {"stretch", spec.Stretch}, {"stretch_score", spec.StretchScore},
		{"curve", spec.Curve}, {"floor", spec.Floor}, {"cap", spec.Cap}} {
		defcheck.Exponents(&ps, f.path, f.v)
	}
	if ps.Len() > 0 {
		return nil, ps.Err()
	}
	c := compileCurve(spec, "", &ps)
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func sub(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func compileCurve(spec CurveSpec, path string, ps *problem.List) *Curve {
	c := &Curve{dir: cmp.Or(spec.Direction, HigherIsBetter), target: spec.Target, floor: decimal.Zero, places: spec.Places}
	if !defcheck.OneOf(ps, sub(path, "direction"), spec.Direction, HigherIsBetter, LowerIsBetter) {
		return c
	}
	if spec.Places < 0 || spec.Places > 10 {
		// A scorecard checks its score_places; a host's spec may hold any.
		// Below 0 a score was rounded to tens or more.
		ps.Add(sub(path, "places"), problem.Invalid, fmt.Sprintf("places must be 0..10, got %d", spec.Places))
	}
	if spec.Threshold != nil {
		c.threshold = decimal.NewNullDecimal(*spec.Threshold)
	}
	if spec.Stretch != nil {
		c.stretch = decimal.NewNullDecimal(*spec.Stretch)
	}
	if spec.Floor != nil {
		c.floor = *spec.Floor
	}
	if spec.Cap != nil {
		c.cap = decimal.NewNullDecimal(*spec.Cap)
		if c.cap.Decimal.LessThan(c.floor) {
			ps.Add(sub(path, "cap"), problem.Invalid, fmt.Sprintf("cap %s is below the floor %s", display.Number(c.cap.Decimal), display.Number(c.floor)))
		}
	}
	if spec.StretchScore != nil && spec.Stretch == nil {
		ps.Add(sub(path, "stretch_score"), problem.Conflict, "stretch_score needs a stretch")
	}
	cd := spec.Curve
	set := 0
	if cd != nil {
		for _, b := range []bool{len(cd.Points) > 0, len(cd.Steps) > 0, cd.Formula != ""} {
			if b {
				set++
			}
		}
		if set > 1 {
			ps.Add(sub(path, "curve"), problem.Conflict, "a curve has points, steps or a formula, not several")
			return c
		}
		if set == 0 {
			ps.Add(sub(path, "curve"), problem.Required, "a curve needs points, steps or a formula")
			return c
		}
	}
	switch {
	case cd != nil && len(cd.Points) > 0:
		if spec.Threshold != nil || spec.Stretch != nil {
			ps.Add(sub(path, "curve.points"), problem.Conflict, "curve points replace threshold and stretch: declare one or the other")
		}
		c.compilePoints(cd.Points, sub(path, "curve.points"), ps)
	case cd != nil && len(cd.Steps) > 0:
		if spec.Threshold != nil || spec.Stretch != nil {
			ps.Add(sub(path, "curve.steps"), problem.Conflict, "curve steps replace threshold and stretch: declare one or the other")
		}
		c.compileSteps(cd.Steps, sub(path, "curve.steps"), ps)
	case cd != nil:
		c.kind = curveFormula
		p, err := formula.Compile(cd.Formula, formula.NewEnv(curveEnvDecls...), formula.TypeNumber)
		if err != nil {
			ps.AddErr(sub(path, "curve.formula"), problem.Formula, err)
		}
		c.prog = p
	default:
		c.defaultPoints(spec, path, ps)
	}
	return c
}

// defaultPoints builds threshold → 0, target → 100 and stretch → the
// stretch score.
func (c *Curve) defaultPoints(spec CurveSpec, path string, ps *problem.List) {
	thr := decimal.Zero
	if c.dir.lower() {
		thr = spec.Target.Mul(two)
	}
	if spec.Threshold != nil {
		thr = *spec.Threshold
	}
	word := "below"
	if c.dir.lower() {
		word = "above"
	}
	if !c.dir.better(spec.Target, thr) {
		if spec.Threshold == nil {
			ps.Add(sub(path, "threshold"), problem.Required, fmt.Sprintf("target %s needs a threshold (the actual that scores 0) %s it", spec.Target, word))
		} else {
			ps.Add(sub(path, "threshold"), problem.Invalid, fmt.Sprintf("threshold %s must be %s the target %s", thr, word, spec.Target))
		}
		return
	}
	pts := []CurvePoint{{At: thr, Score: decimal.Zero}, {At: spec.Target, Score: hundred}}
	if spec.Stretch != nil {
		if !c.dir.better(*spec.Stretch, spec.Target) {
			w := "above"
			if c.dir.lower() {
				w = "below"
			}
			ps.Add(sub(path, "stretch"), problem.Invalid, fmt.Sprintf("stretch %s must be %s the target %s", *spec.Stretch, w, spec.Target))
			return
		}
		s := defStretch
		if spec.StretchScore != nil {
			s = *spec.StretchScore
			if s.LessThan(hundred) {
				ps.Add(sub(path, "stretch_score"), problem.Invalid, fmt.Sprintf("stretch_score %s must be at least 100", s))
				return
			}
		}
		pts = append(pts, CurvePoint{At: *spec.Stretch, Score: s})
	}
	c.compilePoints(pts, sub(path, "curve.points"), ps)
}

func (c *Curve) compilePoints(pts []CurvePoint, path string, ps *problem.List) {
	c.kind = curveLinear
	if len(pts) < 2 {
		ps.Add(path, problem.Invalid, fmt.Sprintf("a linear curve needs at least 2 points, got %d", len(pts)))
		return
	}
	sorted := slices.Clone(pts)
	slices.SortStableFunc(sorted, func(a, b CurvePoint) int { return a.At.Cmp(b.At) })
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1], sorted[i]
		if a.At.Equal(b.At) {
			ps.Add(path, problem.Duplicate, fmt.Sprintf("two points at %s", a.At))
			return
		}
		falls := b.Score.LessThan(a.Score)
		if c.dir.lower() {
			falls = b.Score.GreaterThan(a.Score)
		}
		if falls {
			ps.Add(path, problem.Invalid, fmt.Sprintf("the score must not fall as the actual gets better (%s scores %s, %s scores %s)",
				worse(c.dir, a, b).At, worse(c.dir, a, b).Score, better(c.dir, a, b).At, better(c.dir, a, b).Score))
			return
		}
	}
	c.points, c.exps = sorted, exponents(sorted)
}

// exponents is the least and the greatest exponent of pts' actuals, by
// which interpolation tells an actual far from them.
func exponents(pts []CurvePoint) [2]int32 {
	e := [2]int32{math.MaxInt32, math.MinInt32}
	for _, p := range pts {
		e[0], e[1] = min(e[0], p.At.Exponent()), max(e[1], p.At.Exponent())
	}
	return e
}

func worse(d Direction, a, b CurvePoint) CurvePoint {
	if d.lower() {
		return b
	}
	return a
}

func better(d Direction, a, b CurvePoint) CurvePoint {
	if d.lower() {
		return a
	}
	return b
}

func (c *Curve) compileSteps(steps []CurveStep, path string, ps *problem.List) {
	c.kind = curveSteps
	sorted := slices.Clone(steps)
	// worst to best
	slices.SortStableFunc(sorted, func(a, b CurveStep) int {
		if c.dir.lower() {
			return b.From.Cmp(a.From)
		}
		return a.From.Cmp(b.From)
	})
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1], sorted[i]
		if a.From.Equal(b.From) {
			ps.Add(path, problem.Duplicate, fmt.Sprintf("two steps from %s", a.From))
			return
		}
		if b.Score.LessThan(a.Score) {
			ps.Add(path, problem.Invalid, fmt.Sprintf("the score must not fall as the actual gets better (from %s scores %s, from %s scores %s)", a.From, a.Score, b.From, b.Score))
			return
		}
	}
	c.steps = sorted
}

// Direction returns the curve's direction: HigherIsBetter for a nil or
// zero Curve, as for a spec that leaves it out.
func (c *Curve) Direction() Direction {
	if c == nil || c.dir == "" {
		return HigherIsBetter
	}
	return c.dir
}

// Points returns the points of a linear curve, by actual ascending; nil for
// other curves and for a nil or zero Curve.
func (c *Curve) Points() []CurvePoint {
	if c == nil {
		return nil
	}
	return slices.Clone(c.points)
}

var errNoCurve = errors.New("score: the curve has no points, steps or formula: make it with NewCurve")

// compiled reports whether c holds a curve NewCurve made: a linear one has
// its points, a formula its program.
func (c *Curve) compiled() bool {
	switch {
	case c == nil:
		return false
	case c.kind == curveLinear:
		return len(c.points) >= 2
	case c.kind == curveFormula:
		return c.prog != nil
	}
	return true
}

// Score returns the score, in percent, that actual earns: the curve's value,
// rounded half away from zero to the curve's places, then held between the
// floor and the cap. An undefined actual scores the floor.
//
// A linear curve scores an actual whose exponent is more than 100,000 from
// its points' (numbers a host passes; a plan's and its events' are within
// ±10000) by orders of magnitude: far above the points in size, the cap
// where the end segment rises towards it, the floor where it falls, the
// segment's score where it is flat. One the floor and the cap do not
// decide (far above the points on a rising curve without a cap, or far
// nearer zero than them) is undefined to the curve and scores the floor,
// where interpolating it built a power of ten of as many digits as the
// exponents are apart and, near ±2^31, never returned. Closer actuals are
// scored exactly.
func (c *Curve) Score(actual decimal.NullDecimal) (decimal.Decimal, error) {
	if !c.compiled() {
		return decimal.Decimal{}, errNoCurve
	}
	if !actual.Valid {
		return c.floor, nil
	}
	x := actual.Decimal
	var s decimal.Decimal
	switch c.kind {
	case curveLinear:
		var ok bool
		if s, ok = c.interpolate(x); !ok {
			return c.floor, nil
		}
	case curveSteps:
		reached := false
		for _, st := range c.steps {
			if c.dir.better(st.From, x) {
				break
			}
			s, reached = st.Score, true
		}
		if !reached {
			return c.floor, nil
		}
		s = s.Round(c.places)
	case curveFormula:
		sc := formula.MapScope{
			"actual":      formula.Number(x),
			"target":      formula.Number(c.target),
			"threshold":   formula.NullNumber(c.threshold),
			"stretch":     formula.NullNumber(c.stretch),
			"achievement": formula.NullNumber(achievement(c.dir, x, c.target, -1)),
		}
		v, err := c.prog.Eval(sc)
		if err != nil {
			return decimal.Decimal{}, err
		}
		d, ok := v.Number()
		if !ok {
			return c.floor, nil
		}
		s = decimalx.Round(d, c.places)
	}
	return c.clamp(s), nil
}

func (c *Curve) clamp(s decimal.Decimal) decimal.Decimal {
	if decimalx.Cmp(s, c.floor) < 0 {
		s = c.floor
	}
	if c.cap.Valid && decimalx.Cmp(s, c.cap.Decimal) > 0 {
		s = c.cap.Decimal
	}
	return s
}

// interpolate is the score of a linear curve at x before the floor and
// the cap: the value of the piecewise-linear function through its points,
// continued past its ends along the end segments, rounded half away from
// zero to places. The quotient is rounded once, so the result never falls
// where the exact function rises. For an x far from the points
// (interpolation's past), it is the cap or the floor where the value is
// past them, and undefined (false) otherwise.
func (c *Curve) interpolate(x decimal.Decimal) (decimal.Decimal, bool) {
	num, dx, past, ok := interpolation(c.points, c.exps, x, c.floor, c.cap.Decimal)
	if !ok {
		return decimal.Decimal{}, false
	}
	s := num.DivRound(dx, c.places)
	switch {
	case past > 0 && c.cap.Valid && decimalx.Cmp(s, c.cap.Decimal) >= 0:
		return c.cap.Decimal, true
	case past > 0:
		return decimal.Decimal{}, false // above every bound: too long to write
	case past < 0:
		return c.floor, true // past is never -1 with s above the floor
	}
	return s, true
}

// interpolation returns the value at x of the piecewise-linear function
// through pts (sorted by At, at least two; exps the least and greatest
// exponent of their actuals) as a fraction num / dx:
// (y0·(x1 − x0) + (x − x0)·(y1 − y0)) / (x1 − x0) on the segment that
// holds x, with past 0.
//
// An x whose exponent is more than maxSpan from a point's is far (x − x0
// would have as many digits: at exponents near ±2^31 it never returned).
// When |x| is above the points' orders of magnitude, num / dx is instead
// the value at a stand-in s = sign(x)·10^k on the same end segment, past
// which x lies, and past says where the value at x is from it: 0 the same
// (a flat segment), 1 above, -1 below. k is far enough that the stand-in's
// value is beyond both bounds lo and hi (a floor and a cap) in that
// direction, by more than a rounding moves it. Any other far x (nearer
// zero than the points' digits) is undefined: ok is false.
func interpolation(pts []CurvePoint, exps [2]int32, x, lo, hi decimal.Decimal) (num, dx decimal.Decimal, past int, ok bool) {
	i := 0
	if e := int64(x.Exponent()); (e-int64(exps[0]) > maxSpan || int64(exps[1])-e > maxSpan) && !x.IsZero() {
		if x, i, past, ok = farStandIn(pts, x, lo, hi); !ok {
			return num, dx, 0, false
		}
	} else {
		if x.IsZero() {
			x = decimal.Zero // 0e-2147483648 is 0 to the points
		}
		for i < len(pts)-2 && decimalx.Cmp(x, pts[i+1].At) >= 0 {
			i++
		}
	}
	a, b := &pts[i], &pts[i+1]
	dx = b.At.Sub(a.At)
	return a.Score.Mul(dx).Add(x.Sub(a.At).Mul(b.Score.Sub(a.Score))), dx, past, true
}

// farStandIn returns interpolation's stand-in s for a far x, the index
// of its segment and which way the value at x lies from s's; false where
// x has none (standIn).
func farStandIn(pts []CurvePoint, x, lo, hi decimal.Decimal) (s decimal.Decimal, i, past int, ok bool) {
	k, ok := standIn(pts, x, lo, hi)
	if !ok {
		return s, 0, 0, false
	}
	// x is at or past s: its segment is s's, and the value moves from s's
	// along it by (x − s)·slope, x − s of x's sign.
	if x.Sign() > 0 {
		i = len(pts) - 2
	}
	past = x.Sign() * pts[i+1].Score.Sub(pts[i].Score).Sign()
	return decimal.New(int64(x.Sign()), int32(k)), i, past, true
}

// standIn returns k for interpolation's stand-in of a far x, false when
// |x| < 10^k. With |x0| < 10^mA for every point's actual x0 (so dx <
// 10^(mA+1)), |y| < 10^mY for every score and bound, and a slope of at
// least 10^eS (the least exponent of the scores) where it is not 0, the
// stand-in's value differs from the end point's by at least
// 10^(k-1)·10^eS/10^(mA+1): past the end point's and either bound's sum,
// under 10^(mY+1), for k = mY + mA − eS + 3 (and k > mA: s past every
// point).
func standIn(pts []CurvePoint, x, lo, hi decimal.Decimal) (int64, bool) {
	mag := func(d decimal.Decimal) int64 { return int64(d.NumDigits()) + int64(d.Exponent()) }
	mA, mY, eS := int64(0), max(mag(lo), mag(hi), 1), int64(math.MaxInt32)
	for _, p := range pts {
		mA = max(mA, mag(p.At))
		mY = max(mY, mag(p.Score))
		eS = min(eS, int64(p.Score.Exponent()))
	}
	k := max(mY+mA-eS+3, mA+1)
	// |x| ≥ 10^(mag(x)-1), at least |s| = 10^k.
	return k, mag(x)-1 >= k && k <= math.MaxInt32
}

// achievement is Achieve's uncapped ratio of actual to target, as a
// percent rounded to places decimal places (exact, or 16 significant
// digits, when places < 0): the one achievement rule, shown as a percent.
func achievement(d Direction, actual, target decimal.Decimal, places int32) decimal.NullDecimal {
	a := Achieve(d, decimal.NewNullDecimal(actual), decimal.NewNullDecimal(target))
	if !a.Uncapped.Valid {
		return a.Uncapped
	}
	pct := a.Uncapped.Decimal.Mul(hundred)
	if places >= 0 {
		pct = decimalx.Round(pct, places)
	}
	return decimal.NewNullDecimal(pct)
}
