package chart

// CompactNumber is compactNumber, for the tests.
var CompactNumber = compactNumber
