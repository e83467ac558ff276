package enginetest

// ClosingPlan is a plan (YAML) of one monthly goal, from March 2025, of
// user n1's won deals (kind deal.won), a target of 1, that closes itself
// and notifies nobody: a tick after a month's end closes the month without
// a notification to emit. The root's tests of what a tick commits and
// serve's of what such a tick does to its caches and snapshots share it.
const ClosingPlan = `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-05-01}
goals:
  - id: won_user
    indicator: won
    target: 1
    period: {from: 2025-03-01, every: month}
    participants: {users: [n1]}
    close: {auto: true}
`
