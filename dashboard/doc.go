// Package dashboard is goalkit's web dashboard: an http.Handler that shows
// a plan's goals (with the chance of reaching their targets), rankings,
// scorecards, teams, cascades, breakdowns, goal statistics and the
// explanation of every number to the people the goals are about, in a
// browser, on a phone and on a wall screen.
//
// A host implements Data over its live goalkit.Tracker (the report as each
// viewer may see it, the explanation of one cell, a channel closed at each
// change) and mounts the handler New returns:
//
//	h, err := dashboard.New(data, dashboard.Options{Viewer: viewerOf})
//	mux.Handle("/", h)
//
// A Data may also implement Namer, so that the pages show participants'
// names instead of their ids, and GoalSeries, so that the page of one goal
// draws its daily dynamics although the reports leave the series out.
//
// The pages are server-rendered with html/template from templates embedded
// in the binary, and every number on them is the report's, rounded for
// reading as the engine's table writer rounds it (money to its currency's
// minor unit, other numbers to at most four places, achievements in
// percent with one place) and written in the viewer's language: English
// (1,500,000 RUB) or Russian (1 500 000 ₽), chosen by ?lang=, a cookie or
// Accept-Language. The scripts and styles are embedded assets too, the
// chart library (uPlot) among them: no CDN, and no Node.js to build or run
// it. A Content-Security-Policy allows no inline script or style.
//
// A page listens to a Server-Sent Events stream (Options.StreamURL, or
// the dashboard's own at /changes) and reads itself again, as its viewer,
// at each change, so open dashboards move as deals close; ?kiosk=1 is the
// wall-screen mode, which also refreshes on a timer. See docs/dashboard.md.
package dashboard
