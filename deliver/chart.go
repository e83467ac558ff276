package deliver

import (
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// The charts of emails: a goal's burn-up (chart.BurnUp: the cumulative
// actual day by day against the plan, and the target) as a PNG image of
// ChartWidth × ChartHeight pixels, inline in the HTML part. A notification
// carries the chart of its goal row; a digest the charts of at most
// MaxDigestCharts of its rows. A chart whose PNG is over MaxChartBytes is
// left out, so an email holds at most MaxDigestCharts × MaxChartBytes of
// images (1 MiB once base64-encoded) besides its text.
const (
	ChartWidth      = 600
	ChartHeight     = 300
	MaxDigestCharts = 3
	MaxChartBytes   = 256 << 10
)

// Chart is a goal's burn-up chart the HTML part of an email shows: what the
// templates see of it (View.Chart, DigestRow.Chart).
type Chart struct {
	// Src is the image's address in the HTML: "cid:" and the Content-ID of
	// the email's part that holds it.
	Src htmltemplate.URL
	// Alt is its text alternative, rendered by the template "chart.alt",
	// which sees the Chart.
	Alt string
	// Width and Height are its size in pixels.
	Width, Height int
	// Goal, Participant, ParticipantKind and Period are those of the goal
	// row drawn (names, as a View has them), and Currency, Actual and
	// Target its numbers as of the chart's last day.
	Goal, Participant, ParticipantKind, Period string
	Currency                                   string
	Actual, Target                             decimal.NullDecimal
}

// Image is an image an email carries inline: a part of its
// multipart/related HTML, which refers to it as "cid:" and its Content-ID.
type Image struct {
	// ContentID is the Content-ID, without angle brackets.
	ContentID string `json:"content_id"`
	// Type is its media type (image/png).
	Type string `json:"type"`
	Data []byte `json:"data"`
}

// pngCache keeps the PNGs drawn in a tick by goal row and legend: a row is
// the same in every viewer's report (visibility keeps or drops rows whole),
// so each is drawn once for each language of the recipients who see it.
type pngCache map[rowKey][]byte

type rowKey struct {
	goal, participant string
	period            period.Period
	words             chart.Words
}

// burnUp draws the burn-up of the row for an email: the chart the templates
// place (without its names: the caller sets them) and the image the email
// carries, the nth of the message of key to user, its legend in words. It
// returns nil for a row without a daily series, and an error for a chart
// over MaxChartBytes.
func burnUp(row *goal.Row, key, user string, n int, words chart.Words, cache pngCache) (*Chart, *Image, error) {
	if row == nil || len(row.Series) == 0 {
		return nil, nil, nil
	}
	rk := rowKey{row.Goal, row.Participant, row.Period, words}
	data, ok := cache[rk]
	if !ok {
		var err error
		if data, err = chart.BurnUp(*row, chart.Options{Format: chart.PNG, Width: ChartWidth, Height: ChartHeight, Words: words}); err != nil {
			return nil, nil, fmt.Errorf("chart of %s/%s: %w", row.Goal, row.Participant, err)
		}
		cache[rk] = data
	}
	if len(data) > MaxChartBytes {
		return nil, nil, fmt.Errorf("chart of %s/%s: %d bytes, over the limit of %d", row.Goal, row.Participant, len(data), MaxChartBytes)
	}
	id := contentID(key, user, n)
	return &Chart{Src: htmltemplate.URL("cid:" + id), Width: ChartWidth, Height: ChartHeight,
			ParticipantKind: string(row.Kind), Period: row.Label, Actual: row.Actual, Target: row.Target},
		&Image{ContentID: id, Type: "image/png", Data: data}, nil
}

// contentID is the Content-ID of the nth image of the message of key to
// user: the same on every channel and every attempt.
func contentID(key, user string, n int) string {
	return fmt.Sprintf("chart%d.%s@goalkit", n, strings.TrimPrefix(MessageID(key, user, ""), "msg_"))
}

// findRow returns the row of the report for the notification's goal,
// participant and period; nil when the report has none.
func findRow(rows []*goal.Row, n *goal.Notification) *goal.Row {
	for _, r := range rows {
		if r.Goal == n.Goal && r.Participant == n.Participant && r.Period.Start == n.PeriodStart && r.Period.End == n.PeriodEnd {
			return r
		}
	}
	return nil
}

// chartOrder returns the indexes of the rows whose charts a digest for user
// shows, at most MaxDigestCharts of them: rows with a daily series, the
// user's own first, then the company's, then teams', then other users', in
// the digest's order within each.
func chartOrder(rows []*goal.Row, user string) []int {
	rank := func(r *goal.Row) int {
		switch {
		case r.Participant == user:
			return 0
		case r.Participant == org.Everyone:
			return 1
		case r.Kind == goal.Team:
			return 2
		}
		return 3
	}
	var idx []int
	for i, r := range rows {
		if r != nil && len(r.Series) > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return rank(rows[a]) - rank(rows[b]) })
	return idx[:min(len(idx), MaxDigestCharts)]
}
