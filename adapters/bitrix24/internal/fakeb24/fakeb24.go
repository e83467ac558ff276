// Package fakeb24 is an httptest server that answers like a Bitrix24 portal,
// from the fixture files in testdata/fixtures: list methods with filters,
// ordering, offset paging and keyset paging (start=-1), batch with halt, the
// error bodies, a leaky-bucket rate limit and the operating-time limit, OAuth
// tokens that expire, and injected faults (truncated bodies, slow answers,
// redirects, and a call that runs but whose answer is lost: Fault.Apply).
// It also keeps tasks, time-tracking records, calendar events and
// notifications in memory (tasks.task.list and .add,
// task.elapseditem.getlist, calendar.section.get, calendar.event.get, .add
// and .update, im.notify.personal.add: see work.go). A request that matches a fixture's request in manifest.json
// exactly gets that file's bytes; any other is computed from the fixture rows.
package fakeb24

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Webhook user and code of the fixtures (manifest.json's webhook_base).
const (
	WebhookUser = "1"
	WebhookCode = "FAKE_WEBHOOK_CODE"
)

// Request is one call the server answered (a batch's commands are logged too,
// with InBatch set).
type Request struct {
	Method  string
	Params  map[string]any
	InBatch bool
}

// Fault replaces the answer to one call.
type Fault struct {
	Status int    // HTTP status; default 200
	File   string // a fixture file to answer with
	Body   []byte // or these bytes
	Header map[string]string
	// Delay holds the answer back (or until the client gives up).
	Delay time.Duration
	// CutAfter > 0 announces the whole body's length but sends only its
	// first CutAfter bytes, then closes the connection.
	CutAfter int
	// RedirectTo answers 302 with Location RedirectTo + the request path.
	RedirectTo string
	// Apply runs the call before answering with the fault: a write that
	// succeeded on the portal whose answer never reached the client.
	Apply bool
}

// Server is the fake portal.
type Server struct {
	*httptest.Server
	dir string

	mu        sync.Mutex
	data      map[string][]map[string]any
	literal   map[string]literalFile
	useLit    bool
	faults    map[string][]Fault
	log       []Request
	now       func() time.Time
	bucketMax int
	bucketY   int
	level     int64 // milli-requests
	levelAt   time.Time
	blocked   map[string]time.Time
	passes    map[string]int
	tokens    map[string]bool // OAuth access token -> valid (false: expired)
}

type literalFile struct {
	status int
	body   []byte
}

// Start starts a server answering from the fixtures in dir, closed when the
// test ends.
func Start(tb testing.TB, dir string) *Server {
	tb.Helper()
	s, err := New(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// New starts a server answering from the fixtures in dir.
func New(dir string) (*Server, error) {
	s := &Server{dir: dir, data: map[string][]map[string]any{}, literal: map[string]literalFile{}, useLit: true,
		faults: map[string][]Fault{}, now: time.Now, blocked: map[string]time.Time{}, passes: map[string]int{}, tokens: map[string]bool{}}
	if err := s.load(); err != nil {
		return nil, err
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s, nil
}

// WebhookURL is the server's incoming-webhook URL.
func (s *Server) WebhookURL() string { return s.URL + "/rest/" + WebhookUser + "/" + WebhookCode + "/" }

// SetClock sets the clock of the rate limits and of the answers' time blocks.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// SetLiteral turns answering with the fixture files' bytes on or off.
func (s *Server) SetLiteral(on bool) {
	s.mu.Lock()
	s.useLit = on
	s.mu.Unlock()
}

// LimitRate enables the portal's leaky bucket: each HTTP request adds one, the
// level drains perSecond a second, and past max requests get 503
// QUERY_LIMIT_EXCEEDED.
func (s *Server) LimitRate(max, perSecond int) {
	s.mu.Lock()
	s.bucketMax, s.bucketY, s.level, s.levelAt = max, perSecond, 0, s.now()
	s.mu.Unlock()
}

// Block lets the next `after` calls of method through and then answers 429
// OPERATION_TIME_LIMIT to its calls until the server's clock reaches until.
// Successful answers report until as the method's operating_reset_at.
func (s *Server) Block(method string, after int, until time.Time) {
	s.mu.Lock()
	s.blocked[method] = until
	s.passes[method] = after
	s.mu.Unlock()
}

// isBlocked tells (and counts) whether a call of method is refused; s.mu is
// held.
func (s *Server) isBlocked(method string) bool {
	until, ok := s.blocked[method]
	if !ok || !s.now().Before(until) {
		return false
	}
	if s.passes[method] > 0 {
		s.passes[method]--
		return false
	}
	return true
}

// SetToken makes tok a valid OAuth access token (valid) or an expired one.
func (s *Server) SetToken(tok string, valid bool) {
	s.mu.Lock()
	s.tokens[tok] = valid
	s.mu.Unlock()
}

// Inject queues faults for the next calls of method ("*" for any method).
func (s *Server) Inject(method string, fs ...Fault) {
	s.mu.Lock()
	s.faults[method] = append(s.faults[method], fs...)
	s.mu.Unlock()
}

// ErrorFault is a fault answering with one of the error.*.json fixtures and
// the HTTP status in its name.
func ErrorFault(file string) Fault {
	m := regexp.MustCompile(`\.(\d{3})\.json$`).FindStringSubmatch(file)
	st := 200
	if m != nil {
		st, _ = strconv.Atoi(m[1])
	}
	return Fault{Status: st, File: file}
}

// Requests returns the calls answered so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ResetLog forgets the calls answered so far.
func (s *Server) ResetLog() {
	s.mu.Lock()
	s.log = nil
	s.mu.Unlock()
}

// Update changes the row with the given ID of an entity ("deal", "lead",
// "activity", "user", "department"); it stops literal answers.
func (s *Server) Update(entity string, id int64, fn func(row map[string]any)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.data[entity] {
		if n, ok := intOf(r["ID"]); ok && n == id {
			fn(r)
			s.useLit = false
			return nil
		}
	}
	return fmt.Errorf("fakeb24: no %s %d", entity, id)
}

// UpdateAll changes every row of an entity ("deal", …, "history:2" for the
// deals' stage history); it stops literal answers.
func (s *Server) UpdateAll(entity string, fn func(row map[string]any)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.data[entity] {
		fn(r)
	}
	s.useLit = false
}

// Remove deletes the row with the given ID of an entity.
func (s *Server) Remove(entity string, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.data[entity]
	key := "ID"
	if entity == "task" {
		key = "id" // tasks.task.list's camelCase
	}
	for i, r := range rows {
		if n, ok := intOf(r[key]); ok && n == id {
			s.data[entity] = append(rows[:i:i], rows[i+1:]...)
			s.useLit = false
			return nil
		}
	}
	return fmt.Errorf("fakeb24: no %s %d", entity, id)
}

// AddHistory appends a stage history row for entityTypeID (1 lead, 2 deal),
// giving it the next ID, which it returns.
func (s *Server) AddHistory(entityTypeID int, row map[string]any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := "history:" + strconv.Itoa(entityTypeID)
	var max int64
	for _, r := range s.data[key] {
		if n, ok := intOf(r["ID"]); ok && n > max {
			max = n
		}
	}
	row["ID"] = json.Number(strconv.FormatInt(max+2, 10))
	s.data[key] = append(s.data[key], row)
	s.useLit = false
	return max + 2
}

// ---------------------------------------------------------------- loading

func (s *Server) load() error {
	lists := []struct{ key, glob, member string }{
		{"deal", "crm.deal.list.page*.json", ""},
		{"lead", "crm.lead.list.page*.json", ""},
		{"activity", "crm.activity.list.page*.json", ""},
		{"history:2", "crm.stagehistory.list.deal.page*.json", "items"},
		{"history:1", "crm.stagehistory.list.lead.page*.json", "items"},
		{"user", "user.get.json", ""},
		{"department", "department.get.json", ""},
		{"status", "crm.status.list.*.json", ""},
		{"category", "crm.category.list.json", "categories"},
		{"currency", "crm.currency.list.json", ""},
	}
	for _, l := range lists {
		files, err := filepath.Glob(filepath.Join(s.dir, l.glob))
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return fmt.Errorf("fakeb24: no fixture %s in %s", l.glob, s.dir)
		}
		sort.Slice(files, func(i, j int) bool { return natLess(files[i], files[j]) })
		for _, f := range files {
			var doc map[string]any
			if err := readJSON(f, &doc); err != nil {
				return err
			}
			res := doc["result"]
			if l.member != "" {
				res = res.(map[string]any)[l.member]
			}
			for _, r := range res.([]any) {
				s.data[l.key] = append(s.data[l.key], r.(map[string]any))
			}
		}
	}
	var man struct {
		Files []struct {
			File       string         `json:"file"`
			Method     string         `json:"method"`
			HTTPStatus int            `json:"http_status"`
			Request    map[string]any `json:"request"`
		} `json:"files"`
	}
	if err := readJSON(filepath.Join(s.dir, "manifest.json"), &man); err != nil {
		return err
	}
	for _, f := range man.Files {
		if f.HTTPStatus != 200 || f.Method == "batch" || len(f.Request) == 0 {
			continue
		}
		b, err := os.ReadFile(filepath.Join(s.dir, f.File))
		if err != nil {
			return err
		}
		s.literal[literalKey(f.Method, f.Request)] = literalFile{status: f.HTTPStatus, body: b}
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("fakeb24: %s: %w", filepath.Base(path), err)
	}
	return nil
}

func literalKey(method string, params map[string]any) string {
	p := map[string]any{}
	for k, v := range params {
		if k != "auth" {
			p[k] = v
		}
	}
	if _, ok := p["start"]; !ok {
		p["start"] = json.Number("0")
	}
	b, _ := json.Marshal(p)
	return method + "\x00" + string(b)
}

var digitsRE = regexp.MustCompile(`\d+|\D+`)

// natLess orders page2 before page10.
func natLess(a, b string) bool {
	pa, pb := digitsRE.FindAllString(a, -1), digitsRE.FindAllString(b, -1)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] == pb[i] {
			continue
		}
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil {
			return na < nb
		}
		return pa[i] < pb[i]
	}
	return len(pa) < len(pb)
}

// ---------------------------------------------------------------- HTTP

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/rest/")
	if path == r.URL.Path {
		http.NotFound(w, r)
		return
	}
	segs := strings.Split(path, "/")
	webhook := false
	switch len(segs) {
	case 1:
	case 3:
		webhook = true
	default:
		http.NotFound(w, r)
		return
	}
	method := strings.TrimSuffix(segs[len(segs)-1], ".json")
	params, order, err := readParams(r)
	if err != nil {
		writeJSON(w, 400, map[string]any{"error": "INVALID_REQUEST", "error_description": "Bad request body"})
		return
	}
	if f, ok := s.takeFault(method); ok {
		s.logReq(method, params, false)
		if f.Apply {
			s.dispatch(method, params)
		}
		s.writeFault(w, r, f)
		return
	}
	if webhook {
		if segs[0] != WebhookUser || segs[1] != WebhookCode {
			s.writeFile(w, 401, "error.NO_AUTH_FOUND.401.json")
			return
		}
	} else {
		tok, _ := params["auth"].(string)
		s.mu.Lock()
		valid, known := s.tokens[tok]
		s.mu.Unlock()
		switch {
		case !known:
			writeJSON(w, 401, map[string]any{"error": "invalid_token", "error_description": "The access token provided is invalid."})
			return
		case !valid:
			s.writeFile(w, 401, "error.expired_token.401.json")
			return
		}
	}
	if !s.admit() {
		s.writeFile(w, 503, "error.QUERY_LIMIT_EXCEEDED.503.json")
		return
	}
	s.logReq(method, params, false)
	if method == "batch" {
		s.batch(w, params, order)
		return
	}
	if lit, ok := s.literalFor(method, params); ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(lit.status)
		_, _ = w.Write(lit.body)
		return
	}
	st, body := s.dispatch(method, params)
	writeJSON(w, st, body)
}

func (s *Server) literalFor(method string, params map[string]any) (literalFile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.useLit {
		return literalFile{}, false
	}
	if _, ok := s.blocked[method]; ok {
		return literalFile{}, false
	}
	lit, ok := s.literal[literalKey(method, params)]
	return lit, ok
}

func (s *Server) takeFault(method string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range []string{method, "*"} {
		if q := s.faults[k]; len(q) > 0 {
			s.faults[k] = q[1:]
			return q[0], true
		}
	}
	return Fault{}, false
}

func (s *Server) logReq(method string, params map[string]any, inBatch bool) {
	s.mu.Lock()
	s.log = append(s.log, Request{Method: method, Params: params, InBatch: inBatch})
	s.mu.Unlock()
}

// admit runs the leaky bucket.
func (s *Server) admit() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bucketMax == 0 {
		return true
	}
	now := s.now()
	if el := now.Sub(s.levelAt); el > 0 {
		s.level -= el.Milliseconds() * int64(s.bucketY)
		if s.level < 0 {
			s.level = 0
		}
	}
	s.levelAt = now
	if s.level+1000 > int64(s.bucketMax)*1000 {
		return false
	}
	s.level += 1000
	return true
}

func (s *Server) faultBody(f Fault) []byte {
	if f.File != "" {
		b, err := os.ReadFile(filepath.Join(s.dir, f.File))
		if err != nil {
			return []byte(err.Error())
		}
		return b
	}
	return f.Body
}

func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f Fault) {
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	if f.RedirectTo != "" {
		w.Header().Set("Location", f.RedirectTo+r.URL.Path)
		w.WriteHeader(http.StatusFound)
		return
	}
	st := f.Status
	if st == 0 {
		st = 200
	}
	body := s.faultBody(f)
	if f.CutAfter > 0 && f.CutAfter < len(body) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			w.WriteHeader(500)
			return
		}
		conn, buf, err := hj.Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", st, http.StatusText(st), len(body))
		_, _ = buf.Write(body[:f.CutAfter])
		_ = buf.Flush()
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(st)
	_, _ = w.Write(body)
}

func (s *Server) writeFile(w http.ResponseWriter, status int, file string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(s.faultBody(Fault{File: file}))
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}

// readParams reads a JSON body, or a form-encoded body and query string with
// PHP-style brackets. order is the order of the batch commands in a JSON body.
func readParams(r *http.Request) (map[string]any, []string, error) {
	params := map[string]any{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var raw map[string]json.RawMessage
		dec := json.NewDecoder(r.Body)
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, err
		}
		for k, v := range raw {
			var x any
			d := json.NewDecoder(bytes.NewReader(v))
			d.UseNumber()
			if err := d.Decode(&x); err != nil {
				return nil, nil, err
			}
			params[k] = x
		}
		var order []string
		if c, ok := raw["cmd"]; ok {
			order = objectKeys(c)
		}
		for k, v := range parsePHP(r.URL.Query()) {
			params[k] = v
		}
		return params, order, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, nil, err
	}
	return parsePHP(r.Form), nil, nil
}

// objectKeys lists a JSON object's keys in their order.
func objectKeys(raw json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

// parsePHP turns a[b][c]=v pairs into nested maps; maps whose keys are 0..n-1
// become lists, and a[]=v appends.
func parsePHP(values url.Values) map[string]any {
	root := map[string]any{}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		for _, v := range values[key] {
			parts := splitKey(key)
			cur := root
			for i, p := range parts {
				if p == "" {
					p = strconv.Itoa(len(cur))
				}
				if i == len(parts)-1 {
					cur[p] = v
					break
				}
				next, ok := cur[p].(map[string]any)
				if !ok {
					next = map[string]any{}
					cur[p] = next
				}
				cur = next
			}
		}
	}
	return listify(root).(map[string]any)
}

func splitKey(k string) []string {
	i := strings.IndexByte(k, '[')
	if i < 0 || !strings.HasSuffix(k, "]") {
		return []string{k}
	}
	parts := []string{k[:i]}
	return append(parts, strings.Split(k[i+1:len(k)-1], "][")...)
}

func listify(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, x := range m {
		m[k] = listify(x)
	}
	if len(m) == 0 {
		return m
	}
	for i := 0; i < len(m); i++ {
		if _, ok := m[strconv.Itoa(i)]; !ok {
			return m
		}
	}
	l := make([]any, len(m))
	for i := range l {
		l[i] = m[strconv.Itoa(i)]
	}
	return l
}

// ---------------------------------------------------------------- methods

func errBody(code, desc string) map[string]any {
	return map[string]any{"error": code, "error_description": desc}
}

// plainLists are the list methods that answer with the rows of one entity
// in the result itself.
var plainLists = map[string]string{
	"crm.deal.list":     "deal",
	"crm.lead.list":     "lead",
	"crm.activity.list": "activity",
	"user.get":          "user",
	"department.get":    "department",
	"crm.status.list":   "status",
}

// dispatch answers one method call from the rows.
func (s *Server) dispatch(method string, p map[string]any) (int, map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.isBlocked(method) {
		return 429, s.fileBody("error.OPERATION_TIME_LIMIT.429.json")
	}
	if entity, ok := plainLists[method]; ok {
		return s.list(method, s.data[entity], p, "")
	}
	switch method {
	case "crm.stagehistory.list":
		et, _ := intOf(get(p, "entityTypeId"))
		rows, ok := s.data["history:"+strconv.FormatInt(et, 10)]
		if !ok {
			return 400, errBody("ENTITY_TYPE_NOT_SUPPORTED", "Entity type is not supported")
		}
		return s.list(method, rows, p, "items")
	case "crm.category.list":
		et, _ := intOf(get(p, "entityTypeId"))
		if et != 2 {
			return 400, errBody("ENTITY_TYPE_NOT_SUPPORTED", "Entity type is not supported")
		}
		return s.list(method, s.data["category"], p, "categories")
	case "crm.currency.list":
		return 200, map[string]any{"result": s.data["currency"], "total": 0, "time": s.timeBlock(method)}
	case "tasks.task.list", "tasks.task.add", "task.elapseditem.getlist", "calendar.section.get",
		"calendar.event.get", "calendar.event.add", "calendar.event.update", "im.notify.personal.add":
		return s.work(method, p)
	case "crm.deal.get":
		id, _ := intOf(get(p, "id", "ID"))
		for _, r := range s.data["deal"] {
			if n, _ := intOf(r["ID"]); n == id && id != 0 {
				return 200, map[string]any{"result": r, "time": s.timeBlock(method)}
			}
		}
		return 400, errBody("", "Not found")
	}
	return 404, errBody("ERROR_METHOD_NOT_FOUND", "Method not found!")
}

func (s *Server) fileBody(file string) map[string]any {
	var m map[string]any
	_ = json.Unmarshal(s.faultBody(Fault{File: file}), &m)
	return m
}

func get(p map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := p[k]; ok {
			return v
		}
	}
	return nil
}

// list filters, orders and pages rows like a list method.
func (s *Server) list(method string, rows []map[string]any, p map[string]any, member string) (int, map[string]any) {
	var filter map[string]any
	switch f := get(p, "filter", "FILTER").(type) {
	case nil:
	case map[string]any:
		filter = f
	case []any:
		if len(f) > 0 {
			return 400, errBody("", "Parameter 'filter' must be array.")
		}
	default:
		return 400, errBody("", "Parameter 'filter' must be array.")
	}
	if method == "department.get" {
		filter = map[string]any{}
		for _, k := range []string{"ID", "NAME", "SORT", "PARENT", "UF_HEAD"} {
			if v, ok := p[k]; ok {
				filter[k] = v
			}
		}
	}
	var out []map[string]any
	for _, r := range rows {
		ok := true
		for k, v := range filter {
			if !match(r, k, v) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	field, desc := "ID", false
	switch o := get(p, "order", "ORDER").(type) {
	case map[string]any:
		for k, v := range o {
			field, desc = k, strings.EqualFold(fmt.Sprint(v), "DESC")
		}
	case string:
		desc = strings.EqualFold(o, "DESC")
		if sf, ok := get(p, "sort", "SORT").(string); ok {
			field = sf
		}
	}
	if method == "crm.status.list" && get(p, "order", "ORDER") == nil {
		field = "SORT"
	}
	if method == "crm.category.list" {
		field = "sort"
	}
	sort.SliceStable(out, func(i, j int) bool {
		c := compare(out[i][field], out[j][field])
		if desc {
			return c > 0
		}
		return c < 0
	})
	// The offset is start, for every list method: the portal's REST
	// server takes it from the query before the method reads its own
	// parameters, so department.get's START (as its reference page,
	// api-reference/departments/department-get.md, writes it) is ignored
	// and the first page comes again.
	start, _ := intOf(p["start"])
	body := map[string]any{}
	var page []map[string]any
	if start < 0 {
		page = out[:min(50, len(out))]
		body["total"] = 0
	} else {
		if int(start) < len(out) {
			page = out[start:min(int(start)+50, len(out))]
		}
		body["total"] = len(out)
		if int(start)+50 < len(out) {
			body["next"] = start + 50
		}
	}
	if page == nil {
		page = []map[string]any{}
	}
	if member != "" {
		body["result"] = map[string]any{member: page}
	} else {
		body["result"] = page
	}
	body["time"] = s.timeBlock(method)
	return 200, body
}

func (s *Server) timeBlock(method string) map[string]any {
	now := s.now()
	reset := now.Add(time.Minute)
	if until, ok := s.blocked[method]; ok {
		reset = until
	}
	f := float64(now.UnixMilli()) / 1000
	return map[string]any{
		"start": f, "finish": f + 0.05, "duration": 0.05, "processing": 0.04,
		"date_start": now.Format(time.RFC3339), "date_finish": now.Format(time.RFC3339),
		"operating_reset_at": reset.Unix(), "operating": 0.035,
	}
}

// batch runs the commands of a batch call in their order.
func (s *Server) batch(w http.ResponseWriter, p map[string]any, order []string) {
	cmds, ok := p["cmd"].(map[string]any)
	if !ok {
		writeJSON(w, 400, errBody("INVALID_REQUEST", "cmd is required"))
		return
	}
	if len(cmds) > 50 {
		writeJSON(w, 400, errBody("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded"))
		return
	}
	if len(order) != len(cmds) {
		order = order[:0]
		for k := range cmds {
			order = append(order, k)
		}
		sort.Slice(order, func(i, j int) bool { return natLess(order[i], order[j]) })
	}
	halt := fmt.Sprint(p["halt"]) == "1" || p["halt"] == true
	res, errs, totals, nexts, times := map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}
	for _, key := range order {
		text, _ := cmds[key].(string)
		method, query, _ := strings.Cut(text, "?")
		vals, err := url.ParseQuery(query)
		var params map[string]any
		if err == nil {
			params = parsePHP(vals)
		}
		s.logReq(method, params, true)
		var st int
		var body map[string]any
		switch {
		case err != nil:
			st, body = 400, errBody("INVALID_REQUEST", "Bad command")
		case method == "batch":
			st, body = 405, errBody("ERROR_BATCH_METHOD_NOT_ALLOWED", "Batch call is not allowed in batch")
		default:
			if f, ok := s.takeFault(method); ok {
				st = f.Status
				_ = json.Unmarshal(s.faultBody(f), &body)
			} else {
				st, body = s.dispatch(method, params)
			}
		}
		if _, failed := body["error"]; failed || st >= 400 {
			errs[key] = map[string]any{"error": body["error"], "error_description": body["error_description"]}
			if halt {
				break
			}
			continue
		}
		res[key] = body["result"]
		if t, ok := body["total"]; ok {
			totals[key] = t
		}
		if n, ok := body["next"]; ok {
			nexts[key] = n
		}
		times[key] = body["time"]
	}
	orEmpty := func(m map[string]any) any {
		if len(m) == 0 {
			return []any{}
		}
		return m
	}
	s.mu.Lock()
	tb := s.timeBlock("batch")
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"result": map[string]any{
		"result": orEmpty(res), "result_error": orEmpty(errs), "result_total": orEmpty(totals),
		"result_next": orEmpty(nexts), "result_time": orEmpty(times),
	}, "time": tb})
}

// ---------------------------------------------------------------- filters

var ops = []string{">=", "<=", "!@", "!=", "=%", "%=", "!%", ">", "<", "@", "!", "%", "="}

func match(row map[string]any, key string, want any) bool {
	op := ""
	for _, o := range ops {
		if strings.HasPrefix(key, o) {
			op = o
			break
		}
	}
	have := row[strings.TrimPrefix(key, op)]
	if list, ok := want.([]any); ok && (op == "" || op == "=") {
		op, want = "@", list // a list value is IN
	}
	switch op {
	case ">", ">=", "<", "<=":
		if have == nil {
			return false // SQL: NULL compares with nothing
		}
	}
	switch op {
	case "", "=":
		return compare(have, want) == 0
	case "!", "!=":
		return compare(have, want) != 0
	case ">":
		return compare(have, want) > 0
	case ">=":
		return compare(have, want) >= 0
	case "<":
		return compare(have, want) < 0
	case "<=":
		return compare(have, want) <= 0
	case "@", "!@":
		in := false
		list, ok := want.([]any)
		if !ok {
			list = []any{want}
		}
		for _, x := range list {
			if compare(have, x) == 0 {
				in = true
			}
		}
		return in == (op == "@")
	default: // LIKE forms
		sub := strings.Trim(text(want), "%")
		return strings.Contains(strings.ToLower(text(have)), strings.ToLower(sub)) == !strings.HasPrefix(op, "!")
	}
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(v)
}

// compare orders two values as numbers, as date-times, or as text. A JSON
// boolean equals "1", "Y" and "true" (or "0", "N", "false", "").
func compare(a, b any) int {
	if _, ok := a.(bool); ok {
		a = truth(b) == a.(bool)
		b = true
	}
	sa, sb := text(a), text(b)
	ra, oka := new(big.Rat).SetString(sa)
	rb, okb := new(big.Rat).SetString(sb)
	if oka && okb && sa != "" && sb != "" {
		return ra.Cmp(rb)
	}
	ta, ea := time.Parse(time.RFC3339, sa)
	tb, eb := time.Parse(time.RFC3339, sb)
	if ea == nil && eb == nil {
		return ta.Compare(tb)
	}
	return strings.Compare(sa, sb)
}

func truth(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	default:
		switch strings.ToUpper(text(v)) {
		case "1", "Y", "TRUE":
			return true
		}
	}
	return false
}

func intOf(v any) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(text(v)), 10, 64)
	return n, err == nil
}
