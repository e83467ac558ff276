//go:build race

package goalkittest_test

// raceEnabled is true under the race detector, which makes every check
// about ten times slower: the tests then run fewer cases.
const raceEnabled = true
