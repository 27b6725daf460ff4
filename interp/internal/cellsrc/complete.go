package cellsrc

import (
	"go/scanner"
	"go/token"
	"strings"
)

func IsComplete(code string) (status, indent string) {
	trimmed := strings.TrimSpace(code)
	if trimmed == "" || isMagic(trimmed) {
		return "complete", ""
	}
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(code))
	var sc scanner.Scanner
	openRaw, bad := false, false
	sc.Init(f, []byte(code), func(pos token.Position, msg string) {
		if strings.Contains(msg, "raw string literal not terminated") || strings.Contains(msg, "comment not terminated") {
			openRaw = true
		} else {
			bad = true // e.g. an unterminated "string": more lines cannot fix it
		}
	}, 0)
	depth := 0
	last := token.ILLEGAL
	for {
		_, t, lit := sc.Scan()
		if t == token.EOF {
			break
		}
		if t == token.SEMICOLON && lit == "\n" {
			continue
		}
		switch t {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
			if depth < 0 {
				return "invalid", ""
			}
		}
		last = t
	}
	if openRaw {
		return "incomplete", ""
	}
	if bad {
		return "invalid", ""
	}
	if depth > 0 {
		return "incomplete", strings.Repeat("\t", depth)
	}
	if last.IsOperator() && !closes(last) {
		return "incomplete", "\t"
	}
	return "complete", ""
}

func closes(t token.Token) bool {
	switch t {
	case token.RPAREN, token.RBRACK, token.RBRACE, token.SEMICOLON, token.INC, token.DEC, token.ELLIPSIS, token.COLON:
		return true
	}
	return false
}

func isMagic(code string) bool {
	return strings.HasPrefix(code, "%") || strings.HasPrefix(code, "!") || strings.HasPrefix(code, "?") || strings.HasSuffix(code, "?")
}
