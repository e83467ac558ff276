package kafka

import (
	"strconv"

	"github.com/goalkit/goalkit/internal/display"
)

// maxQuoted bounds a record's id quoted in an error: an id of 100 KB made
// an error of 100 KB.
const maxQuoted = 64

// quoteID quotes an identifier for an error, cut to maxQuoted bytes.
func quoteID(s string) string { return strconv.Quote(display.Clip(s, maxQuoted)) }
