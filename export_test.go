package goalkit

// SetReuseValues switches the goals' reading of the report's own indicator
// values, and the tracker's goal.Memo, on or off, and returns a function
// that restores them.
func SetReuseValues(on bool) (restore func()) {
	was := reuseValues
	reuseValues = on
	return func() { reuseValues = was }
}
