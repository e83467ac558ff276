// Package serve is goalkit's HTTP service: an http.Handler over one live
// goalkit.Tracker, with an OpenAPI 3.1 document (OpenAPI, served at
// /openapi.yaml), viewer access and Prometheus metrics. `goalkit serve`
// runs it; hosts mount it in their own servers.
//
// # API
//
// Reads (the reader role): the report and its sections (values, goals,
// scorecards, bonuses, leaderboards, cascades) for an as-of instant and a
// period; one goal's progress for one participant with its daily series;
// the explanation of one value; the notification feed; a Server-Sent
// Events stream of changes. Writes (the writer role): event ingestion (a
// JSON array, NDJSON or CSV body, whole or not at all, idempotent by event
// id and version) and period close. docs/serve.md has the details.
//
// With Config.Ingest a server fronts state kept elsewhere (the workers of
// a partitioned log, package scaleout): ingested batches go to Ingest, the
// tracker is a read replica the host keeps current and reports with
// Updated, and the server neither ticks nor closes periods.
//
// # Access
//
// Every request has an Identity from the Config's Authenticator: TokenFile
// (bearer tokens of a tokens file, compared in constant time) and ProxyAuth
// (a trusted proxy's headers with a shared secret) are built in. Every read
// is cut to what the viewer may see under the visibility policy
// (goal.DefaultVisibility over the directory, or the host's), widened by
// the identity's teams: values, goal rows, scorecards, bonuses, badges,
// cascade nodes, notifications, the standings of leaderboards and
// competitions (unless Config.PublicStandings) and the events of
// explanations. Answers of 401, 403 and 404 say nothing of other users.
// Writes a browser marks as cross-site are refused (403), so that a page
// elsewhere cannot post with the credentials a browser sends by itself.
//
// # Operations
//
// /healthz and /readyz, one slog line per request (no tokens, no query
// strings), /metrics with request, ingestion and tracker metrics read at
// scrape time (per-participant achievement opt-in: Config.ParticipantMetrics).
// ListenAndServe runs a Server with timeouts and a graceful shutdown.
package serve

//go:generate go run ./internal/genopenapi ../docs/report.schema.json openapi.yaml
