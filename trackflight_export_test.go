package goalkit

// ShareReports turns the sharing of reports asked for at once on or off
// for tr (on by default); call it before tr is used.
func ShareReports(tr *Tracker, on bool) { tr.flights.off = !on }
