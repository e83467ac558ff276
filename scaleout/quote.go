package scaleout

import (
	"strconv"

	"github.com/goalkit/goalkit/internal/display"
)

// maxQuoted bounds an identifier quoted in an error (a record's or an
// event's id, an attribute's name or text): an id of 100 KB made an error
// of 100 KB.
const maxQuoted = 64

// quoteID quotes an identifier for an error, cut to maxQuoted bytes.
func quoteID(s string) string { return strconv.Quote(display.Clip(s, maxQuoted)) }
