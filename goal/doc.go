// Package goal is goalkit's goals: targets on indicators (or checklists of
// actions) for participants over periods, and their progress at any instant.
//
// # Definitions
//
// A [Def] is a plain value (the `goals` section of a plan file). A goal is
// quantitative, a target on one of the plan's indicators, narrowed by an
// optional Filter over events (lead source, deal stage, pipeline, manager,
// product), or qualitative, a Checklist of actions, each done by matching
// events (`kind == "training.completed"`) or marked by the host ([Mark]),
// each with a weight. Its Direction says whether higher or lower is better
// (cost per lead ≤ 500). Its target is a number, phased per period
// (TargetByPeriod), overridden per participant (TargetByParticipant), or a
// formula over the goal's indicators (`prev(revenue) * 1.25`). Its Period is
// a fixed range or a recurrence in the plan's calendar; each period is an
// instance of the goal. Its participants are users, teams or departments
// (units of the host's org.Directory) and the company; for a group, one
// shared target for the group's total (computed by kpi from the members'
// events together, never by adding ratios) or the same target for each
// member.
//
// [Compile] validates definitions against the plan's indicators and reports
// every problem at once, sorted by path (`goals[2].target_formula: …`), as a
// *problem.Error. The [Set] it returns is immutable and safe for
// concurrent use.
//
// # Progress
//
// [Set.Evaluate] computes a [Row] for every instance × participant at an
// instant: actual and target; [score.Achievement], uncapped and capped; what
// remains; elapsed and left time; the value expected by now ([PaceFraction]:
// linear in calendar time, by working days, or following a seasonal
// [forecast.Profile] learned from earlier periods); the [Forecast] at the
// end of the period with its method; the [Status] ([Classify]); the
// milestones reached; the change against the previous period and the same
// period a year before; the participant's [score.Rank]; and, on request, the
// daily cumulative series of actual against plan and the instant an
// achieved goal met its target, from its events (Row.AchievedAt, for
// package goalstats). All numbers are exact decimals; time comes from the
// request's as-of instant, never from the clock.
//
// A goal with a [ChanceDef] also gets its [forecast.Chance]: the probability
// of reaching the target and quantiles of the final value, drawn from the
// participant's earlier periods, which may judge its status.
// [Set.Backtest] scores every forecast method against past periods (a
// [forecast.Backtest]), and [Set.Suggest] proposes next period's targets
// from history with their chance ([forecast.Suggestion];
// docs/forecast.md). Package goal turns goals and events into the inputs
// of package forecast, which holds the maths and these results.
//
// Lower is better is handled throughout: a goal of cost ≤ 500 is met when
// the actual is at most 500, its achievement is target / actual (undefined at
// an actual of 0, which meets any non-negative target), its forecast is
// judged the same way and its milestones are reached downwards (those of
// a cumulative one, a budget that grows from 0, once its period has ended).
//
// # Values read once
//
// The values goals need are evaluated by kpi in as few requests as their
// periods allow, over the report's one snapshot of the events. A value the
// caller already has is not evaluated again: Request.Values passes a
// kpi.Result (a report's own values, a tracker's live ones) with what it was
// evaluated for, and a cell it holds exactly (the same compiled indicators,
// [Env].Compiled; the same instant and knowledge; a period it reports;
// every participant asked for with a row of its own, a team as a group of
// the same dated members) is read from it. What they do not hold (a
// report's values hold its own periods, as of its instant with every
// version, while goals read the period before and a year before each
// instance too, and the rows at Since of the notifications count the
// versions known by then) is evaluated for the indicators the goals read
// only, not every indicator of the plan; the rows at Since, which only the
// notifications read, go without the values of other periods (Previous,
// YearAgo), and those of an instance over by Since are its rows at AsOf
// when nothing between the two instants differs for it (no version of the
// table known only later, no record closed, no automatic close, a goal
// that reads nothing that moves: see goal/sinceasof.go). Request.Memo carries an evaluation's work to the next one (a
// tracker's reports): a [Memo] told which event versions were applied
// since ([Memo.Note]) keeps the rows of the participants none of whose
// events changed where their rows read (a row's reach: its period, the
// periods of Previous and of its target's prev(), and the period a year
// before, each widened by its indicator's prev(); every date before the
// end of the period for a goal with a next-target rule, a chance or a
// seasonal profile, or over cumulative or cohort indicators), as of
// another instant those of periods over by both instants (unless a record
// of their goal for them or an earlier period took effect between the
// two), the values of periods no change falls in and the actors found of
// company goals (as known at an instant, only while no version since adds
// an actor or replaces one), and the next evaluation computes the rest. A Memo keeps as many changes as
// the events its last evaluation read (at least 65,536, at most 2^21):
// past them the next evaluation starts afresh. As of
// another instant with no event, record or mark between the two, only the
// clock moved the other rows of such participants: they are retimed (the
// time and days left, expected, forecast, status, state and a budget's
// milestones set again), and
// the values of the same day are read as they were. A row holds the date it
// is as of, not the instant (the Result's AsOf), so that the rows of a
// period over stay the same rows from one instant to the next. Either way
// the result is that of an evaluation without them. Request.Only narrows a
// result to one participant (a personal dashboard): its rows,
// notifications and corrections, the same as the full result's; with a
// Memo, the other rows computed are only those changed since, which its
// ranks read (a rank moves by the changed rows: it is not computed again
// over the instance).
//
// # Lifecycle
//
// Instances go draft → active → achieved | failed → closed ([State]). A goal
// fails at its end whether or not an event arrived. [Set.Close] closes a
// period: it freezes each participant's result in a [Record], opens the next
// instance of a recurring goal with targets from the next-target rule
// (`max(target, actual * 1.1)`), and emits period_closed. Closing is
// idempotent. A goal may also close automatically at its end; [Set.Tick]
// moves the instances of a live tracker along in time and closes them,
// noticing every transition crossed since the previous tick. A correction
// that arrives after an instance closed follows the goal's policy: freeze
// (the record stands and the correction is reported) or restate (the result
// changes and a restatement with before and after is emitted).
//
// # Notifications
//
// [Notify] is a pure function from the previous and the new progress of an
// instance to the [Notification] values the goal's rules ask for:
// milestone_reached, achieved, at_risk, back_on_track, deadline_approaching,
// daily_digest, failed and period_closed. Each fires on a transition only
// and carries a deterministic idempotency key; Evaluate compares the
// progress at Request.Since with the progress at Request.AsOf.
//
// # Lint and visibility
//
// [Lint] and [Set.LintHistory] check goals against the SMART rules: a
// target, an end, positive targets, something measurable, at most five goals
// per person, weights summing to 100, no duplicates, no target far beyond
// history, no filter that matches nothing. A [VisibilityPolicy] (by default
// [DefaultVisibility]: own rows, team rows, a head's subtree, the company,
// admins see all) filters a result for a [Viewer] ([Result.ForViewer]).
package goal
