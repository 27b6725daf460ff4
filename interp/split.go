package interp

import (
	"go/scanner"
	"go/token"
	"strings"
)

// A cell mixes imports, declarations and statements. It is cut into
// top-level units at semicolons (written or automatic) outside brackets,
// and runs of units of the same kind become segments, each parsed on its
// own with a //line directive that keeps the cell's coordinates.

type segKind int

const (
	segImport segKind = iota
	segDecl           // func, method, type, var, const
	segStmt
	segSkip // a package clause
)

type segment struct {
	kind       segKind
	start, end int // byte offsets in the cell
	line, col  int // 1-based position of start
}

type tok struct {
	off int
	tok token.Token
	lit string
}

func scanTokens(src string) []tok {
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(f, []byte(src), func(token.Position, string) {}, scanner.ScanComments)
	toks := make([]tok, 0, len(src)/4+16) // about one token per 4 bytes of Go
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{f.Offset(pos), t, lit})
	}
	return toks
}

func scanTokensWithComments(f *token.File, src string) []tok {
	var s scanner.Scanner
	s.Init(f, []byte(src), func(token.Position, string) {}, scanner.ScanComments)
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		if t == token.SEMICOLON && lit == "\n" {
			continue
		}
		toks = append(toks, tok{f.Offset(pos), t, lit})
	}
	return toks
}

// splitCell cuts src into segments in source order.
func splitCell(src string) []segment {
	toks := scanTokens(src)
	var segs []segment
	depth := 0
	unitStart := -1
	var kind segKind
	add := func(start, end int) {
		if kind == segSkip {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].kind == kind {
			segs[n-1].end = end
			return
		}
		line, col := lineCol(src, start)
		segs = append(segs, segment{kind: kind, start: start, end: end, line: line, col: col})
	}
	docStart, docEnd := -1, -1 // comment lines right before the next unit: its doc
	for i, t := range toks {
		if t.tok == token.COMMENT {
			if unitStart < 0 {
				if docStart < 0 || strings.Count(src[docEnd:t.off], "\n") > 1 {
					docStart = t.off
				}
				docEnd = t.off + len(t.lit)
			}
			continue
		}
		if unitStart < 0 {
			if t.tok == token.SEMICOLON {
				continue
			}
			unitStart = t.off
			if docStart >= 0 && strings.Count(src[docEnd:t.off], "\n") <= 1 && toks[i].tok != token.SEMICOLON {
				unitStart = docStart
			}
			docStart = -1
			if t.tok == token.FUNC { // the only kind that needs the tokens after the first
				kind = classify(nonComments(toks[i:]))
			} else {
				kind = classify(toks[i : i+1])
			}
			if t.tok == token.PACKAGE { // a pasted program: the clause means nothing here
				kind = segSkip
			}
		}
		switch t.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if depth > 0 {
				depth--
			}
		case token.SEMICOLON:
			if depth == 0 {
				add(unitStart, t.off)
				unitStart = -1
			}
		}
	}
	if unitStart >= 0 {
		add(unitStart, len(src))
	}
	return segs
}

func nonComments(toks []tok) []tok {
	out := make([]tok, 0, 64)
	for _, t := range toks {
		if t.tok != token.COMMENT {
			out = append(out, t)
			if len(out) == cap(out) {
				break
			}
		}
	}
	return out
}

// classify tells the kind of the unit starting at toks[0].
func classify(toks []tok) segKind {
	switch toks[0].tok {
	case token.IMPORT:
		return segImport
	case token.TYPE, token.VAR, token.CONST:
		return segDecl
	case token.FUNC:
		if len(toks) > 1 && toks[1].tok == token.IDENT {
			return segDecl
		}
		if len(toks) > 1 && toks[1].tok == token.LPAREN {
			// func (recv) Name( is a method; func (params) ... { is a literal.
			depth := 0
			for j := 1; j < len(toks); j++ {
				switch toks[j].tok {
				case token.LPAREN:
					depth++
				case token.RPAREN:
					depth--
					if depth == 0 {
						if j+2 < len(toks) && toks[j+1].tok == token.IDENT && (toks[j+2].tok == token.LPAREN || toks[j+2].tok == token.LBRACK) {
							return segDecl
						}
						return segStmt
					}
				}
			}
		}
	}
	return segStmt
}

func lineCol(src string, off int) (line, col int) {
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
