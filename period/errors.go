package period

import (
	"errors"
	"strconv"

	"github.com/goalkit/goalkit/internal/display"
)

// ErrEmptyRange is returned, wrapped, when a range of dates [from, to) is
// empty or reversed.
var ErrEmptyRange = errors.New("empty range")

// A FileError is a problem at a line of a work-calendar file. Its message is
// "FILE:LINE: what", or "line LINE: what" where File is empty (a host's
// ParseWorkCalendar without a name). FILE is written as display.Text writes
// it (a control character of a path escaped, \x1b), so a name from outside
// cannot reach a terminal raw. [ParseWorkCalendar] joins several of
// them, sorted by line, with [errors.Join]; use [errors.As] to reach them.
type FileError struct {
	File string // the name given to ParseWorkCalendar, or the path
	Line int    // 1-based
	Msg  string
}

func (e *FileError) Error() string {
	if e.File == "" {
		// ":3: …" named nothing a reader could tell.
		return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return display.Text(e.File) + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}
