package sqlcore

import (
	"strconv"

	"github.com/goalkit/goalkit/internal/display"
)

// maxQuoted bounds what an error quotes of a row or an event (an id, an
// actor, an attribute's name or text, a cell that does not read, a ledger
// key): a host's id of 100 KB made an error of 100 KB.
const maxQuoted = 64

// quoteID quotes s for an error, cut to maxQuoted bytes.
func quoteID(s string) string { return strconv.Quote(display.Clip(s, maxQuoted)) }
