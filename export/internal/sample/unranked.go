package sample

import (
	"bytes"
	"fmt"
)

// Conversion returns a plan file of the sample (Plan) with one more
// scorecard, conversion, of the conversion indicator (won / deals * 100),
// and a leaderboard, conversion, of its actual: a person with a card and no
// deal created has no conversion, and stands unranked (rank 0) on it.
func Conversion(plan []byte) ([]byte, error) {
	for _, add := range [][2]string{
		{"scorecards:\n", "  - id: conversion\n    grain: month\n    kpis:\n      - {indicator: conversion, target: 50, weight: 100}\n"},
		{"leaderboards:\n", "  - {id: conversion, scorecard: conversion, kpi: conversion, metric: actual}\n"},
	} {
		if !bytes.Contains(plan, []byte(add[0])) {
			return nil, fmt.Errorf("the plan has no %q", add[0])
		}
		plan = bytes.Replace(plan, []byte(add[0]), []byte(add[0]+add[1]), 1)
	}
	return plan, nil
}
