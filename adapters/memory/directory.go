package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/planfile"
	"github.com/goalkit/goalkit/internal/yamlerr"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
	"go.yaml.in/yaml/v3"
)

// Directory is an in-memory organisation: units in a tree and dated
// memberships. It implements org.Directory (and so org.Directory). A
// person who moves to another unit keeps the old membership up to the move
// (Move), so that events before the move are credited to the old unit and
// events from the move on to the new one. It is safe for concurrent use.
type Directory struct {
	mu    sync.RWMutex
	units []org.Unit
	ms    []org.Membership
	// users are the names of the users added (AddUser), by id; "" for a
	// user without one.
	users map[string]string
}

// NewDirectory returns a directory with the units and memberships; see
// AddUnit and AddMembership for what is checked.
func NewDirectory(units []org.Unit, ms []org.Membership) (*Directory, error) {
	d := &Directory{}
	for _, u := range units {
		if err := d.AddUnit(u); err != nil {
			return nil, err
		}
	}
	for _, m := range ms {
		if err := d.AddMembership(m); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// DirectoryFile is the JSON form of a directory: {"units": [...],
// "memberships": [...], "users": [...]}, the shape `goalkit directory`
// writes. Each of its "users" is an object: ParseDirectory reads its "id"
// and "name" (AddUser) and accepts the rest (a position, departments) without
// using it.
type DirectoryFile struct {
	Units       []org.Unit        `json:"units"`
	Memberships []org.Membership  `json:"memberships"`
	Users       []json.RawMessage `json:"users,omitempty"`
}

// directoryFile is what ParseDirectory decodes: a DirectoryFile whose users
// are objects of any keys (a null value is nil).
type directoryFile struct {
	Units       []org.Unit       `json:"units"`
	Memberships []org.Membership `json:"memberships"`
	Users       []map[string]any `json:"users,omitempty"`
}

// ParseDirectory reads a directory from its file form (DirectoryFile, in
// JSON or YAML). name is used in errors, which name the line and path of
// every problem, sorted by line:
//
//	org.json:7: memberships[2].from: "2025-02-30" is not a real date: February 2025 has 28 days
//
// Unknown keys are errors, but for a user's, whose "id" and "name" alone
// are read; a unit's or user's name is a string (true or a number is
// refused: quote it), where ids may be numbers (id: 5 is "5"); dates are written YYYY-MM-DD and must exist; AddUnit,
// AddMembership and AddUser check the rest.
func ParseDirectory(name string, data []byte) (*Directory, error) {
	var f directoryFile
	pos, err := planfile.Decode(name, data, &f)
	if err != nil {
		return nil, err
	}
	d := &Directory{}
	var errs planfile.Errors
	add := func(path string, err error) {
		if err != nil {
			msg := strings.TrimPrefix(err.Error(), "directory: ")
			errs = append(errs, &planfile.Error{File: name, Line: pos.Line(path), Path: path, Msg: msg})
		}
	}
	for i, u := range f.Units {
		add(fmt.Sprintf("units[%d]", i), d.AddUnit(u))
	}
	for i, m := range f.Memberships {
		add(fmt.Sprintf("memberships[%d]", i), d.AddMembership(m))
	}
	var notText map[int]string
	if len(f.Users) > 0 {
		notText = namesNotText(data)
	}
	for i, u := range f.Users {
		path := fmt.Sprintf("users[%d]", i)
		id, idErr := userText(u, "id")
		name, nameErr := userText(u, "name")
		if got, ok := notText[i]; ok && nameErr == nil {
			nameErr = fmt.Errorf("want a string, got %s (write it in quotes if it is the name)", got)
		}
		switch {
		case idErr != nil:
			add(path+".id", idErr)
		case nameErr != nil:
			add(path+".name", nameErr)
		default:
			add(path, d.AddUser(id, name))
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *planfile.Error) int { return a.Line - b.Line })
		return nil, errs
	}
	return d, nil
}

// userText is the text of a user's key in a directory file: "" when the
// key is missing or null, an error when its value is a list or a mapping.
func userText(u map[string]any, key string) (string, error) {
	switch v := u[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case map[string]any:
		return "", fmt.Errorf("want a string, got a mapping")
	}
	return "", fmt.Errorf("want a string, got a list")
}

// namesNotText finds the users whose "name" the file writes as a scalar
// that is not a string (true, 12, 1.5, a YAML date), by their index, with
// what the file wrote: the file's decoder reads every scalar as its text,
// so a name of true was the text "true". A null name is no name.
func namesNotText(data []byte) map[int]string {
	var doc yaml.Node
	if yaml.Unmarshal(yamlerr.JSONText(data), &doc) != nil {
		return nil // the file's decoder has named the problem
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	users := mappingValue(root, "users")
	if users == nil || users.Kind != yaml.SequenceNode {
		return nil
	}
	out := map[int]string{}
	for i, u := range users.Content {
		n := mappingValue(u, "name")
		if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!str" || n.Tag == "!!null" {
			continue
		}
		switch n.Tag {
		case "!!bool":
			out[i] = "the boolean " + n.Value
		case "!!int", "!!float":
			out[i] = "the number " + n.Value
		default:
			out[i] = strconv.Quote(n.Value) + " unquoted, which YAML reads as " + strings.TrimPrefix(n.Tag, "!!")
		}
	}
	return out
}

// mappingValue is the value of key in the mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// ReadDirectory reads a directory from r, as ParseDirectory does, naming
// it "directory" in errors.
func ReadDirectory(r io.Reader) (*Directory, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	return ParseDirectory("directory", data)
}

// clip shortens an id written in an error as the engine's errors shorten
// theirs (display.MaxQuoted bytes): an id of 1 MiB made an error of 1 MiB.
func clip(id string) string { return display.Clip(id, display.MaxQuoted) }

// idProblem is the error of an id of the directory (what says which) that
// is not an identifier as events' actors are (display.IDProblem: a control
// character, invalid UTF-8): no event could name it, so it could never
// match one.
func idProblem(what, id string) error {
	if bad := display.IDProblem(id); bad != "" {
		return fmt.Errorf("directory: %s %s %s", what, display.QuoteID(id), bad)
	}
	return nil
}

// AddUnit adds a unit. Its id must be new, and not "*" (org.Everyone, the
// whole company's row); its parent may come later (a parent that never
// comes is the host's inconsistency, which cascade.CheckDirectory reports).
// Its id, parent and head must be identifiers, as events' actors are: no
// control character, valid UTF-8.
func (d *Directory) AddUnit(u org.Unit) error {
	if u.ID == "" {
		return fmt.Errorf("directory: a unit needs an id")
	}
	if u.ID == org.Everyone {
		return fmt.Errorf("directory: unit id %q is the whole company's row in reports", org.Everyone)
	}
	for _, f := range [...]struct{ what, id string }{{"unit id", u.ID}, {"parent", u.Parent}, {"head", u.Head}} {
		if err := idProblem(f.what, f.id); err != nil {
			return err
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if slices.ContainsFunc(d.units, func(o org.Unit) bool { return o.ID == u.ID }) {
		return fmt.Errorf("directory: unit %s is already defined", clip(u.ID))
	}
	d.units = append(d.units, u)
	return nil
}

// AddMembership adds a membership of a user in a unit over [From, To) (zero
// bounds are open). The range must not be empty; neither the user nor the
// unit may be "*" (org.Everyone), and both must be identifiers, as events'
// actors are (kpi.Event.Validate: no control character, valid UTF-8).
func (d *Directory) AddMembership(m org.Membership) error {
	if m.User == "" || m.Unit == "" {
		return fmt.Errorf("directory: a membership needs a user and a unit")
	}
	if m.User == org.Everyone {
		return fmt.Errorf("directory: user %q is the whole company's row in reports", org.Everyone)
	}
	if m.Unit == org.Everyone {
		return fmt.Errorf("directory: unit %q is the whole company's row in reports", org.Everyone)
	}
	if err := idProblem("user", m.User); err != nil {
		return err
	}
	if err := idProblem("unit", m.Unit); err != nil {
		return err
	}
	if m.From != 0 && m.To != 0 && m.To <= m.From {
		return fmt.Errorf("directory: membership of %s in %s from %s to %s is empty", clip(m.User), clip(m.Unit), m.From, m.To)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ms = append(d.ms, m)
	return nil
}

// Move moves a user to the unit on the local date on: every membership of
// the user that is open on that date ends the day before (To = on), and a
// membership of the new unit starts on it, open-ended. Events before on stay
// with the old units. As for AddMembership, neither the user nor the unit may
// be "*" (org.Everyone), and both must be identifiers; a refused move changes
// nothing.
func (d *Directory) Move(user, unit string, on date.Date) error {
	if user == "" || unit == "" || on == 0 {
		return fmt.Errorf("directory: a move needs a user, a unit and a date")
	}
	if user == org.Everyone {
		return fmt.Errorf("directory: user %q is the whole company's row in reports", org.Everyone)
	}
	if unit == org.Everyone {
		return fmt.Errorf("directory: unit %q is the whole company's row in reports", org.Everyone)
	}
	if err := idProblem("user", user); err != nil {
		return err
	}
	if err := idProblem("unit", unit); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	open := func(m org.Membership) bool { return m.User == user && (m.To == 0 || m.To > on) }
	for _, m := range d.ms {
		if open(m) && m.From != 0 && m.From >= on {
			return fmt.Errorf("directory: %s already has a membership of %s from %s, not before the move on %s", clip(user), clip(m.Unit), m.From, on)
		}
	}
	for i, m := range d.ms {
		if open(m) {
			d.ms[i].To = on
		}
	}
	d.ms = append(d.ms, org.Membership{User: user, Unit: unit, From: on})
	return nil
}

// AddUser gives the user with the id a name, as exports show a person
// (goalkit export's documents, charts and workbook); "" adds the user
// without one. The id must be new among the users (a unit of the same id is
// another participant: Bitrix24's department 1 and user 1), not "*"
// (org.Everyone), and an identifier, as events' actors are. A user needs
// no membership, nor a membership a user.
func (d *Directory) AddUser(id, name string) error {
	if id == "" {
		return fmt.Errorf("directory: a user needs an id")
	}
	if id == org.Everyone {
		return fmt.Errorf("directory: user %q is the whole company's row in reports", org.Everyone)
	}
	if err := idProblem("user", id); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.users[id]; ok {
		return fmt.Errorf("directory: user %s is already defined", clip(id))
	}
	if d.users == nil {
		d.users = map[string]string{}
	}
	d.users[id] = name
	return nil
}

// UserName returns the name of the user with the id (AddUser, a file's
// "users"); false when the directory has none for them.
func (d *Directory) UserName(id string) (string, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	name := d.users[id]
	return name, name != ""
}

// Units returns every unit, in the order they were added.
func (d *Directory) Units(ctx context.Context) ([]org.Unit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	return slices.Clone(d.units), nil
}

// Memberships returns every membership, in the order they were added.
func (d *Directory) Memberships(ctx context.Context) ([]org.Membership, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	return slices.Clone(d.ms), nil
}

var _ org.Directory = (*Directory)(nil)
