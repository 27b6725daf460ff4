package cellsrc

import (
	"go/scanner"
	"go/token"
	"strings"
)

// A cell mixes imports, declarations and statements. It is cut into
// top-level units at semicolons (written or automatic) outside brackets,
// and runs of units of the same kind become segments, each parsed on its
// own with a //line directive that keeps the cell's coordinates.

type SegKind int

const (
	SegImport SegKind = iota
	SegDecl           // func, method, type, var, const
	SegStmt
	segSkip // a package clause
)

// Segment is a run of same-kind top-level units of a cell.
type Segment struct {
	Kind       SegKind
	Start, End int // byte offsets in the cell
	Line, Col  int // 1-based position of Start
}

// Token is a token of a cell and its byte offset.
type Token struct {
	Off int
	Tok token.Token
	Lit string
}

func ScanTokens(src string) []Token {
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(f, []byte(src), func(token.Position, string) {}, scanner.ScanComments)
	toks := make([]Token, 0, len(src)/4+16) // about one token per 4 bytes of Go
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, Token{f.Offset(pos), t, lit})
	}
	return toks
}

func scanTokensWithComments(f *token.File, src string) []Token {
	var s scanner.Scanner
	s.Init(f, []byte(src), func(token.Position, string) {}, scanner.ScanComments)
	var toks []Token
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		if t == token.SEMICOLON && lit == "\n" {
			continue
		}
		toks = append(toks, Token{f.Offset(pos), t, lit})
	}
	return toks
}

// Split cuts src into segments in source order.
func Split(src string) []Segment {
	toks := ScanTokens(src)
	var segs []Segment
	depth := 0
	unitStart := -1
	var kind SegKind
	add := func(start, end int) {
		if kind == segSkip {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].Kind == kind {
			segs[n-1].End = end
			return
		}
		line, col := LineCol(src, start)
		segs = append(segs, Segment{Kind: kind, Start: start, End: end, Line: line, Col: col})
	}
	docStart, docEnd := -1, -1 // comment lines right before the next unit: its doc
	for i, t := range toks {
		if t.Tok == token.COMMENT {
			if unitStart < 0 {
				if docStart < 0 || strings.Count(src[docEnd:t.Off], "\n") > 1 {
					docStart = t.Off
				}
				docEnd = t.Off + len(t.Lit)
			}
			continue
		}
		if unitStart < 0 {
			if t.Tok == token.SEMICOLON {
				continue
			}
			unitStart = t.Off
			if docStart >= 0 && strings.Count(src[docEnd:t.Off], "\n") <= 1 && toks[i].Tok != token.SEMICOLON {
				unitStart = docStart
			}
			docStart = -1
			if t.Tok == token.FUNC { // the only kind that needs the tokens after the first
				kind = classify(nonComments(toks[i:]))
			} else {
				kind = classify(toks[i : i+1])
			}
			if t.Tok == token.PACKAGE { // a pasted program: the clause means nothing here
				kind = segSkip
			}
		}
		switch t.Tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if depth > 0 {
				depth--
			}
		case token.SEMICOLON:
			if depth == 0 {
				add(unitStart, t.Off)
				unitStart = -1
			}
		}
	}
	if unitStart >= 0 {
		add(unitStart, len(src))
	}
	return segs
}

func nonComments(toks []Token) []Token {
	out := make([]Token, 0, 64)
	for _, t := range toks {
		if t.Tok != token.COMMENT {
			out = append(out, t)
			if len(out) == cap(out) {
				break
			}
		}
	}
	return out
}

// classify tells the kind of the unit starting at toks[0].
func classify(toks []Token) SegKind {
	switch toks[0].Tok {
	case token.IMPORT:
		return SegImport
	case token.TYPE, token.VAR, token.CONST:
		return SegDecl
	case token.FUNC:
		if len(toks) > 1 && toks[1].Tok == token.IDENT {
			return SegDecl
		}
		if len(toks) > 1 && toks[1].Tok == token.LPAREN {
			// func (recv) Name( is a method; func (params) ... { is a literal.
			depth := 0
			for j := 1; j < len(toks); j++ {
				switch toks[j].Tok {
				case token.LPAREN:
					depth++
				case token.RPAREN:
					depth--
					if depth == 0 {
						if j+2 < len(toks) && toks[j+1].Tok == token.IDENT && (toks[j+2].Tok == token.LPAREN || toks[j+2].Tok == token.LBRACK) {
							return SegDecl
						}
						return SegStmt
					}
				}
			}
		}
	}
	return SegStmt
}

func LineCol(src string, off int) (line, col int) {
	line, col = 1, 1
	for i := 0; i < off && i < len(src); i++ {
		if src[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return
}
