// Package org is the host's organisation as goalkit reads it: the
// Directory interface a host implements (units in a tree and dated
// memberships), the Org snapshot that every engine of one report shares,
// and Group, the set of people whose events count together for a team.
//
// A person who moves from one team to another mid-month belongs to each for
// its own dates: a Group holds such members as dated Spans, so a team's
// values are computed from its members' events on the days they belonged,
// and a team's ratio is Σnumerator / Σdenominator of those events.
package org
