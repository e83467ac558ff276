//go:build !race

package goalkittest_test

const raceEnabled = false
