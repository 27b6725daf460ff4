package cellsrc

import (
	"go/scanner"
	"go/token"
)

// StrayClose finds the first closing bracket of src that closes nothing:
// a `}`, `)` or `]` with no opening one before it, or one that does not
// match the innermost open bracket. A cell of statements is parsed as the
// body of a function, so a stray `}` closed that function and the parser
// reported the next token, or the wrapper's own closing brace on a line
// past the cell's end ("cell[1]:4:1: expected declaration, found '}'" for
// a cell of three lines). It returns the bracket and its 1-based line and
// column in src, or ok false.
func StrayClose(src string) (tok string, line, col int, ok bool) {
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(f, []byte(src), nil, 0) // errors are the parser's to report
	var open []token.Token
	for {
		pos, t, _ := s.Scan()
		switch t {
		case token.EOF:
			return "", 0, 0, false
		case token.LBRACE, token.LPAREN, token.LBRACK:
			open = append(open, t)
		case token.RBRACE, token.RPAREN, token.RBRACK:
			want := map[token.Token]token.Token{token.RBRACE: token.LBRACE, token.RPAREN: token.LPAREN, token.RBRACK: token.LBRACK}[t]
			if len(open) == 0 || open[len(open)-1] != want {
				p := f.Position(pos)
				return t.String(), p.Line, p.Column, true
			}
			open = open[:len(open)-1]
		}
	}
}
