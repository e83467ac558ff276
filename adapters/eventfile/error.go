package eventfile

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/goalkit/goalkit/internal/display"
)

// maxErrors is how many bad lines a read reports; the rest are counted.
const maxErrors = 20

// Error is a bad line of an event file. Load reports every bad line it finds,
// up to 20, as *Error values joined with errors.Join in line order, followed
// by "and N more bad lines" when there are more; errors.As finds the first.
type Error struct {
	File string // the name given to Load
	Line int    // the 1-based line where the bad line or CSV record starts
	Msg  string // what is wrong
}

// Error returns "FILE:LINE: MSG", FILE written as the project writes text
// from outside for a terminal (a control character of a path escaped,
// \x1b).
func (e *Error) Error() string {
	return display.Text(e.File) + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

// badLines collects the first maxErrors bad lines of a read and counts the
// rest. The lines of one collector are added in increasing order.
type badLines struct {
	errs []*Error
	n    int
}

func (b *badLines) add(e *Error) {
	b.n++
	if len(b.errs) < maxErrors {
		b.errs = append(b.errs, e)
	}
}

// joinBad merges collectors (each in line order) into the error read
// returns, or nil when no line is bad.
func joinBad(bs ...*badLines) error {
	var all []*Error
	n := 0
	for _, b := range bs {
		all = append(all, b.errs...)
		n += b.n
	}
	if n == 0 {
		return nil
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Line < all[j].Line })
	if len(all) > maxErrors {
		all = all[:maxErrors]
	}
	if n == 1 {
		return all[0]
	}
	errs := make([]error, 0, len(all)+1)
	for _, e := range all {
		errs = append(errs, e)
	}
	if more := n - len(all); more > 0 {
		if more == 1 {
			errs = append(errs, errors.New("and 1 more bad line"))
		} else {
			errs = append(errs, fmt.Errorf("and %d more bad lines", more))
		}
	}
	return errors.Join(errs...)
}

// everyoneActor is the message of an event whose actor is org.Everyone:
// reports keep that participant for the whole company's row, so an actor
// of that name would be both.
const everyoneActor = `actor: "*" is the whole company's row in reports, not an actor`
