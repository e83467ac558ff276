// Package rest holds the wire shapes of the Bitrix24 REST API (v1) that the
// bitrix24 adapter reads: the rows of the CRM, user and department lists,
// the answer envelope, list paging and the batch envelope, with their
// lenient decoders (numbers as strings, "Y"/"N" flags, [] for an empty
// object). They are the adapter's business, not a host's: the adapter turns
// them into events and an org structure.
package rest
