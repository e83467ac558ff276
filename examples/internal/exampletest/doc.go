// Package exampletest holds what the tests of the example programs share:
// the golden outputs of a program that writes a table or, with -json, the
// report's JSON; and the plain computations the examples' numbers are
// checked against, apart from the engine (the events file read with a
// plain loop, exact rationals, percentile_cont over them).
package exampletest
