package formula

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/parser/lexer"
	"github.com/goalkit/goalkit/internal/display"
)

// Formulas are parsed by expr's parser, after a pass over expr's tokens:
//
//   - every number literal is replaced by a placeholder identifier of the
//     same length ("$" and the literal's characters, with any that are not
//     letters or digits replaced by "_"), and its text is kept, so numbers
//     are read exactly as decimals and are never limited to int64/float64;
//   - the operator words contains, startsWith and endsWith, where an operand
//     is expected and followed by "(", are turned into identifiers of the
//     same length ("$ontains", …), so they can be called as functions;
//   - the nesting depth is checked.
//
// Replacements keep the length of the source, so expr's positions stay right.

// parsed is the result of parse.
type parsed struct {
	root ast.Node
	lits map[int]string // rune offset → text of the number literal there
	// aliases are the rune offsets of the operator words turned into
	// identifiers ($ontains): the same identifier written in the formula
	// is no name.
	aliases map[int]bool
}

// funcAliases maps the identifiers of operator words called as functions
// back to their names.
var funcAliases = map[string]string{
	"$ontains":   "contains",
	"$tartsWith": "startsWith",
	"$ndsWith":   "endsWith",
}

func parse(src string, lim Limits) (*parsed, *Error) {
	if len(src) > lim.MaxLength {
		return nil, newError(src, 0, CodeLimit, "formula too long: %d bytes (limit %d)", len(src), lim.MaxLength)
	}
	if !utf8.ValidString(src) {
		return nil, newError(src, 0, CodeSyntax, "formula is not valid UTF-8")
	}
	if strings.TrimSpace(src) == "" {
		return nil, newError(src, 0, CodeSyntax, "empty formula")
	}
	toks, err := lexer.Lex(file.NewSource(src))
	if err != nil {
		return nil, syntaxError(src, err, nil, lim)
	}
	runes := []rune(src)
	out := []rune(src)
	lits := map[int]string{}
	var aliases map[int]bool
	depth := 0
	for i, t := range toks {
		switch {
		case t.Is(lexer.Bracket, "(", "[", "{"):
			depth++
			if depth > lim.MaxDepth {
				return nil, newError(src, t.From, CodeLimit, "formula nested too deeply (limit %d)", lim.MaxDepth)
			}
		case t.Is(lexer.Bracket, ")", "]", "}"):
			depth--
		case t.Kind == lexer.Number:
			lit := string(runes[t.From:t.To])
			// A number right after a number or a word (1.2.3 is 1.2 and
			// .3, x.3 is x and .3) is refused as with a space between:
			// its placeholder would join the word before into one name.
			if i > 0 && toks[i-1].To == t.From && t.From > 0 && isIdentRune(out[t.From-1]) {
				return nil, newError(src, t.From, CodeSyntax, "unexpected number %s", quoteNumber(lit))
			}
			lits[t.From] = lit
			out[t.From] = '$'
			for j := t.From + 1; j < t.To; j++ {
				if !isIdentRune(out[j]) {
					out[j] = '_'
				}
			}
		case t.Is(lexer.Operator, "contains", "startsWith", "endsWith"):
			binary := i > 0 && endsOperand(toks[i-1]) ||
				i > 1 && toks[i-1].Is(lexer.Operator, "not") && endsOperand(toks[i-2])
			if !binary && i+1 < len(toks) && toks[i+1].Is(lexer.Bracket, "(") && string(runes[t.From:t.To]) == t.Value {
				out[t.From] = '$'
				if aliases == nil {
					aliases = map[int]bool{}
				}
				aliases[t.From] = true
			}
		}
	}
	cfg := conf.CreateNew()
	cfg.DisableIfOperator = true
	cfg.MaxNodes = uint(lim.MaxNodes)
	for _, f := range builtin.Builtins {
		cfg.Disabled[f.Name] = true
		// Overriding makes expr parse every call as a plain call, also the
		// names it would parse with a predicate argument (sum, count, …).
		cfg.Functions[f.Name] = f
	}
	tree, err := parser.ParseWithConfig(string(out), cfg)
	if err != nil {
		return nil, syntaxError(src, err, lits, lim)
	}
	if pos := mixedCoalesce(toks); pos >= 0 {
		return nil, newError(src, pos, CodeSyntax, "?? cannot be mixed with other operators: add parentheses")
	}
	return &parsed{root: tree.Node, lits: lits, aliases: aliases}, nil
}

// mixedCoalesce returns the rune offset of the second of a ?? and another
// operator that share a group (the formula, the inside of brackets, an
// argument or element, a part of ?:), or -1: a binary operator on either
// side, or a sign or negation before the ?? (a ?? -1 is clear). expr refuses
// a binary operator after ?? (a ?? b + c) but binds ?? tighter than what
// comes before it, so 1 + a ?? b would be 1 + (a ?? b) and -a ?? b would be
// -(a ?? b), where a reader of most languages expects (1 + a) ?? b and
// (-a) ?? b: the language refuses them all.
func mixedCoalesce(toks []lexer.Token) int {
	type group struct{ coalesce, other bool }
	stack := []group{{}}
	for i, t := range toks {
		top := &stack[len(stack)-1]
		switch {
		case t.Is(lexer.Bracket, "(", "[", "{"):
			stack = append(stack, group{})
		case t.Kind == lexer.Bracket:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case t.Kind != lexer.Operator:
		case t.Is(lexer.Operator, ",", "?", ":", ";"):
			*top = group{}
		case t.Value == "??":
			if top.other {
				return t.From
			}
			top.coalesce = true
		case i > 0 && endsOperand(toks[i-1]):
			// A binary operator: one after an operand.
			if top.coalesce {
				return t.From
			}
			top.other = true
		case t.Is(lexer.Operator, "-", "+", "!", "not"):
			// A sign or negation whose operand a later ?? would take.
			top.other = true
		}
	}
	return -1
}

func isIdentRune(r rune) bool {
	return r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// endsOperand reports whether a token can end an operand, so that a
// following word is a binary operator.
func endsOperand(t lexer.Token) bool {
	switch t.Kind {
	case lexer.Identifier, lexer.Number, lexer.String, lexer.Bytes:
		return true
	case lexer.Bracket:
		return t.Value == ")" || t.Value == "]" || t.Value == "}"
	}
	return false
}

var unexpectedToken = regexp.MustCompile(`^unexpected token (\w+)(?:\((.*)\))?$`)

// syntaxError turns an error of expr's lexer or parser into an *Error with
// a message for people who do not read token dumps.
func syntaxError(src string, err error, lits map[int]string, lim Limits) *Error {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return newError(src, 0, CodeSyntax, "%s", err.Error())
	}
	pos := fe.From
	msg := fe.Message
	code := CodeSyntax
	switch {
	case strings.Contains(msg, "exceeds maximum allowed nodes"):
		return newError(src, 0, CodeLimit, "formula too large (limit %d nodes)", lim.MaxNodes)
	case msg == "unexpected end of expression" || msg == "unexpected token EOF":
		msg = "unexpected end of formula"
		pos = utf8.RuneCountInString(strings.TrimRightFunc(src, isSpace))
	case msg == "literal not terminated":
		msg = "unterminated string"
		if q, ok := unterminatedString(src); ok {
			pos = q
		}
	case msg == "invalid char escape":
		msg = "invalid escape sequence in string"
	case strings.HasPrefix(msg, "unrecognized character: "):
		r, _ := utf8.DecodeRuneInString(src[byteOffset(src, pos):])
		msg = "unexpected character " + strconv.QuoteRune(r)
	case strings.HasPrefix(msg, "bad number syntax: "):
		word := strings.TrimPrefix(msg, "bad number syntax: ")
		if w, err := strconv.Unquote(word); err == nil {
			word = strconv.Quote(quoteNumber(w))
		}
		msg = "bad number " + word
	case strings.HasPrefix(msg, "a map key must be"):
		msg, code = "maps are not supported", CodeUnsupported
	case strings.HasPrefix(msg, "Operator (") && strings.Contains(msg, "??"):
		msg = "?? cannot be mixed with other operators: add parentheses"
	default:
		if m := unexpectedToken.FindStringSubmatch(msg); m != nil {
			v, uerr := strconv.Unquote(m[2])
			if uerr != nil {
				v = m[2]
			}
			switch m[1] {
			case "Identifier":
				if lit, ok := lits[pos]; ok {
					msg = "unexpected number " + quoteNumber(lit)
				} else if name, ok := funcAliases[v]; ok {
					msg = "unexpected " + strconv.Quote(name)
				} else {
					msg = "unexpected name " + display.QuoteID(v)
				}
			case "String":
				msg = "unexpected string " + display.QuoteID(v)
			case "Number":
				msg = "unexpected number " + quoteNumber(v)
			default:
				msg = "unexpected " + display.QuoteID(v)
				switch v {
				case "=":
					msg += " (use == to compare)"
				case "&":
					msg += " (use && or and)"
				case "|":
					msg += " (use || or or)"
				case "else":
					msg += " (write if(condition, a, b) or condition ? a : b)"
				case "#":
					msg += " (predicates like filter(list, # > 1) are not supported)"
				}
			}
			if prevWord(src, pos) == "if" {
				msg += " (write if(condition, a, b) or condition ? a : b)"
			}
		}
	}
	return newError(src, pos, code, "%s", msg)
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func byteOffset(src string, runePos int) int {
	n := 0
	for i := range src {
		if n == runePos {
			return i
		}
		n++
	}
	return len(src)
}

// prevWord returns the word before the rune offset pos.
func prevWord(src string, pos int) string {
	r := []rune(src)
	if pos > len(r) {
		pos = len(r)
	}
	end := pos
	for end > 0 && isSpace(r[end-1]) {
		end--
	}
	begin := end
	for begin > 0 && isIdentRune(r[begin-1]) {
		begin--
	}
	return string(r[begin:end])
}

// unterminatedString returns the rune offset of the opening quote of the
// string that is not closed, skipping closed strings and comments.
func unterminatedString(src string) (int, bool) {
	r := []rune(src)
	for i := 0; i < len(r); i++ {
		switch c := r[i]; {
		case c == '/' && i+1 < len(r) && r[i+1] == '/':
			for i < len(r) && r[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(r) && r[i+1] == '*':
			i += 2
			for i+1 < len(r) && (r[i] != '*' || r[i+1] != '/') {
				i++
			}
			i++
		case c == '"' || c == '\'':
			j := i + 1
			for ; j < len(r) && r[j] != c; j++ {
				if r[j] == '\n' {
					return i, true
				}
				if r[j] == '\\' {
					j++
				}
			}
			if j >= len(r) {
				return i, true
			}
			i = j
		case c == '`':
			j := i + 1
			for j < len(r) && r[j] != '`' {
				j++
			}
			if j >= len(r) {
				return i, true
			}
			i = j
		}
	}
	return 0, false
}
