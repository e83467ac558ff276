// Package cascade builds goal hierarchies over the organisation and over time:
// the Directory interface to the host's org structure, target splitting and
// roll-up.
package cascade
