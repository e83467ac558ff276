package goalkit

// SetReuseValues switches the goals' reading of the report's own indicator
// values on or off, and returns a function that restores it.
func SetReuseValues(on bool) (restore func()) {
	was := reuseValues
	reuseValues = on
	return func() { reuseValues = was }
}
