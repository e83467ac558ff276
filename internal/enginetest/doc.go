// Package enginetest holds the fixtures the tests of the engine packages
// (goal, goalstats, cascade, and kpi's and the root's tests of reads during
// applies: ReadLoop, LedgerData) share: a calendar and local instants in it
// (Calendar, At), a fixed organisation (Directory), a source read into a
// column table as the root package reads one for a report (Table), the
// sales indicators the goal tests are written against (SalesIndicators),
// dates and numbers written as text (Date, Dec, Null, Ptr), exponents
// anywhere in 32 bits for the properties of forecast and goal (Exponent),
// and a plan whose goal closes itself and notifies nobody (ClosingPlan),
// for the root's and serve's tests of ticks.
//
// It is for tests only: nothing in it checks its input beyond what a test
// needs, and it fails the test (or panics, where it has no test) on any
// error.
package enginetest
