package chart

// CompactNumber is compactNumber, for the tests.
var CompactNumber = compactNumber

// Text is Options.text, for the tests.
func Text(o Options, s string) string { return o.text(s) }

// AxisNumber is axisNumber, for the tests.
var AxisNumber = axisNumber
