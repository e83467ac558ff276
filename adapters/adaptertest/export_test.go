package adaptertest

// Scope is the suites' reference scope of an event (scope), for the
// reference source of the suites' own tests.
var Scope = scope
