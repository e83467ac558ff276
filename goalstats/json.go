package goalstats

import (
	"encoding/json"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/rickb777/date/v2"
)

type tallyJSON struct {
	Goal                string        `json:"goal,omitempty"`
	Name                string        `json:"name,omitempty"`
	Type                string        `json:"type,omitempty"`
	Kind                string        `json:"participant_kind,omitempty"`
	Team                string        `json:"team,omitempty"`
	Period              string        `json:"period,omitempty"`
	PeriodStart         *date.Date    `json:"period_start,omitempty"`
	PeriodEnd           *date.Date    `json:"period_end,omitempty"`
	Instances           int           `json:"instances"`
	Achieved            int           `json:"achieved"`
	Failed              int           `json:"failed"`
	Open                int           `json:"open"`
	AchievedShare       *string       `json:"achieved_share"`
	FailedShare         *string       `json:"failed_share"`
	OpenShare           *string       `json:"open_share"`
	AchievedShareChange *string       `json:"achieved_share_change,omitempty"`
	AchievementMedian   *string       `json:"achievement_median"`
	TimeToAchievement   durationsJSON `json:"time_to_achievement"`
}

type durationsJSON struct {
	Instances     int     `json:"instances"`
	MinSeconds    *string `json:"min_seconds"`
	MedianSeconds *string `json:"median_seconds"`
	P90Seconds    *string `json:"p90_seconds"`
	MaxSeconds    *string `json:"max_seconds"`
}

// MarshalJSON writes the tally as an entry of the report's goal_stats:
// what it counts (goal, type, participant kind, team or period), the counts, the shares as
// exact decimal strings (null for no instance), the median achievement and
// the time to achievement in seconds.
func (t Tally) MarshalJSON() ([]byte, error) {
	j := tallyJSON{Goal: t.Goal, Name: t.Name, Type: t.Type, Kind: string(t.Kind), Team: t.Team, Period: t.Label,
		Instances: t.Instances, Achieved: t.Achieved, Failed: t.Failed, Open: t.Open,
		AchievedShare: decimalx.Text(t.AchievedShare), FailedShare: decimalx.Text(t.FailedShare), OpenShare: decimalx.Text(t.OpenShare),
		AchievedShareChange: decimalx.Text(t.AchievedShareChange), AchievementMedian: decimalx.Text(t.AchievementMedian),
		TimeToAchievement: durationsJSON{Instances: t.TimeToAchievement.Instances, MinSeconds: decimalx.Text(t.TimeToAchievement.Min),
			MedianSeconds: decimalx.Text(t.TimeToAchievement.Median), P90Seconds: decimalx.Text(t.TimeToAchievement.P90), MaxSeconds: decimalx.Text(t.TimeToAchievement.Max)}}
	if !t.Period.IsZero() {
		s, e := t.Period.Start, t.Period.End
		j.PeriodStart, j.PeriodEnd = &s, &e
	}
	return json.Marshal(j)
}

type correlationJSON struct {
	Indicator      string  `json:"indicator"`
	BusinessResult string  `json:"business_result"`
	Points         int     `json:"points"`
	R              *string `json:"r"`
	Undefined      string  `json:"undefined,omitempty"`
}

// MarshalJSON writes the correlation as an entry of goal_stats.correlations.
func (c Correlation) MarshalJSON() ([]byte, error) {
	return json.Marshal(correlationJSON{Indicator: c.Indicator, BusinessResult: c.BusinessResult, Points: c.Points, R: decimalx.Text(c.R), Undefined: c.Undefined})
}

type statsJSON struct {
	Total        Tally         `json:"total"`
	ByGoal       []Tally       `json:"by_goal"`
	ByType       []Tally       `json:"by_type"`
	ByKind       []Tally       `json:"by_participant_kind"`
	ByTeam       []Tally       `json:"by_team"`
	ByPeriod     []Tally       `json:"by_period"`
	Correlations []Correlation `json:"correlations"`
}

// MarshalJSON writes the statistics as the report's goal_stats: total,
// by_goal, by_type, by_participant_kind, by_team, by_period and correlations (lists, empty when
// there is nothing in them).
func (s Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(statsJSON{Total: s.Total, ByGoal: orNone(s.ByGoal), ByType: orNone(s.ByType), ByKind: orNone(s.ByKind), ByTeam: orNone(s.ByTeam),
		ByPeriod: orNone(s.ByPeriod), Correlations: orNone(s.Correlations)})
}

func orNone[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
