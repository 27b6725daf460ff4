package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// stringRanges writes a range over a string as a loop that decodes it
// rune by rune. yaegi v0.16.1 converts the string to a []rune and, for
// each rune, converts the runes before it back to a string to find its
// byte position: a loop over n bytes took O(n²), `for i := range s` gave
// the runes' numbers instead of their byte positions, and an invalid
// UTF-8 byte (which Go decodes as U+FFFD, one byte long) moved the
// positions three bytes on (Go's test/stringrange.go). ASCII bytes are
// read directly; other runes through ᐧs.DecodeRune (utf8.DecodeRuneInString
// at a position):
//
//	for i, r := range s { body }   ->   {
//	                                        ᐧstr, ᐧat := s, 0
//	                                        for ᐧat < len(ᐧstr) {
//	                                            ᐧr, ᐧw := rune(ᐧstr[ᐧat]), 1
//	                                            if ᐧr >= 0x80 { ᐧr, ᐧw = ᐧs.DecodeRune(ᐧstr, ᐧat) }
//	                                            i, r := ᐧat, ᐧr
//	                                            ᐧat += ᐧw
//	                                            { body }
//	                                        }
//	                                    }
//
// A label stays on the loop; `for i, r = range s` assigns instead. Only a
// range whose operand go/types knows to be a string is rewritten (from the
// cell, the session's declarations and variables of known type); a string
// from another package's function stays yaegi's. It runs on the names as
// written, before the renames.
func stringRanges(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	var ranges []*ast.RangeStmt
	ast.Inspect(f, func(n ast.Node) bool {
		if r, ok := n.(*ast.RangeStmt); ok {
			ranges = append(ranges, r)
		}
		return true
	})
	if len(ranges) == 0 {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	strs := map[*ast.RangeStmt]bool{}
	for _, r := range ranges {
		if tv, ok := info.Types[r.X]; ok && tv.Type != nil {
			if b, ok := tv.Type.Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
				strs[r] = true
			}
		}
	}
	if len(strs) == 0 {
		return
	}
	eachStmtList(f, func(list []ast.Stmt) {
		for i, st := range list {
			var label *ast.Ident
			r, ok := st.(*ast.RangeStmt)
			if l, isLabel := st.(*ast.LabeledStmt); isLabel {
				label = l.Label
				r, ok = l.Stmt.(*ast.RangeStmt)
			}
			if ok && strs[r] {
				list[i] = decodeLoop(r, label)
			}
		}
	})
}

// decodeLoop is the loop stringRanges writes for r.
func decodeLoop(r *ast.RangeStmt, label *ast.Ident) ast.Stmt {
	at := r.For
	id := func(name string) *ast.Ident { return &ast.Ident{NamePos: at, Name: name} }
	assign := func(lhs []ast.Expr, tok token.Token, rhs ...ast.Expr) *ast.AssignStmt {
		return &ast.AssignStmt{Lhs: lhs, TokPos: at, Tok: tok, Rhs: rhs}
	}
	body := []ast.Stmt{
		assign([]ast.Expr{id("ᐧr"), id("ᐧw")}, token.DEFINE,
			&ast.CallExpr{Fun: id("rune"), Lparen: at, Args: []ast.Expr{&ast.IndexExpr{X: id("ᐧstr"), Lbrack: at, Index: id("ᐧat"), Rbrack: at}}, Rparen: at},
			&ast.BasicLit{ValuePos: at, Kind: token.INT, Value: "1"}),
		&ast.IfStmt{If: at,
			Cond: &ast.BinaryExpr{X: id("ᐧr"), OpPos: at, Op: token.GEQ, Y: &ast.BasicLit{ValuePos: at, Kind: token.INT, Value: "0x80"}},
			Body: &ast.BlockStmt{Lbrace: at, List: []ast.Stmt{assign([]ast.Expr{id("ᐧr"), id("ᐧw")}, token.ASSIGN,
				&ast.CallExpr{Fun: &ast.SelectorExpr{X: id(Sess), Sel: id("DecodeRune")}, Lparen: at, Args: []ast.Expr{id("ᐧstr"), id("ᐧat")}, Rparen: at})}, Rbrace: at}},
	}
	var lhs, rhs []ast.Expr
	if r.Key != nil {
		lhs, rhs = append(lhs, r.Key), append(rhs, id("ᐧat"))
	}
	if r.Value != nil {
		lhs, rhs = append(lhs, r.Value), append(rhs, id("ᐧr"))
	}
	named := false
	for _, e := range lhs {
		named = named || !isBlank(e)
	}
	if named {
		tok := r.Tok
		if tok != token.ASSIGN {
			tok = token.DEFINE
		}
		body = append(body, assign(lhs, tok, rhs...))
	}
	body = append(body, &ast.AssignStmt{Lhs: []ast.Expr{id("ᐧat")}, TokPos: at, Tok: token.ADD_ASSIGN, Rhs: []ast.Expr{id("ᐧw")}}, r.Body)
	var loop ast.Stmt = &ast.ForStmt{For: at,
		Cond: &ast.BinaryExpr{X: id("ᐧat"), OpPos: at, Op: token.LSS, Y: &ast.CallExpr{Fun: id("len"), Lparen: at, Args: []ast.Expr{id("ᐧstr")}, Rparen: at}},
		Body: &ast.BlockStmt{Lbrace: r.Body.Lbrace, List: body, Rbrace: r.Body.Rbrace},
	}
	if label != nil {
		loop = &ast.LabeledStmt{Label: label, Colon: at, Stmt: loop}
	}
	return &ast.BlockStmt{Lbrace: at, List: []ast.Stmt{
		assign([]ast.Expr{id("ᐧstr"), id("ᐧat")}, token.DEFINE, r.X, &ast.BasicLit{ValuePos: at, Kind: token.INT, Value: "0"}),
		loop,
	}, Rbrace: r.Body.Rbrace}
}
