package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
)

// selectJumps makes break, continue and goto in a select case jump where
// Go says. yaegi v0.16.1 sends the last statement of a case to the end
// of the select whatever it is, so that `break L` and `continue L` there
// only left the select (a loop waiting for a non-blocking send, `L: for {
// select { case c <- v: break L; default: ... } }`, never ended) and so
// did a plain `continue`; and it sends a plain break elsewhere in a case
// (in an if) to the end of the enclosing loop instead of the select's.
// The last statement, when it is a jump, goes into an if of its own, and
// a plain break elsewhere names the select by a label:
//
//	case c <- v:          ->   case c <- v:
//		break L                    if true { break L }
//
//	select {              ->   ᐧs0: select {
//	case x := <-c:             case x := <-c:
//		if x < 0 {                 if x < 0 {
//			break                      break ᐧs0
//		}                          }
//		use(x)                     use(x)
//	}                          }
func selectJumps(f *ast.File) {
	n := 0
	var list func([]ast.Stmt)
	list = func(l []ast.Stmt) {
		for i, st := range l {
			var label *ast.Ident
			sel, ok := st.(*ast.SelectStmt)
			if ls, isLabeled := st.(*ast.LabeledStmt); isLabeled {
				sel, ok = ls.Stmt.(*ast.SelectStmt)
				label = ls.Label
			}
			if !ok {
				continue
			}
			fresh := label == nil
			if fresh {
				label = ast.NewIdent(fmt.Sprintf("ᐧs%d", n))
			}
			if fixSelectJumps(sel, label.Name) && fresh {
				n++
				l[i] = &ast.LabeledStmt{Label: label, Colon: sel.Pos(), Stmt: sel}
			}
		}
	}
	eachStmtList(f, list)
}

// fixSelectJumps rewrites the jumps of sel's cases, and tells whether one
// of them now breaks to label, sel's label.
func fixSelectJumps(sel *ast.SelectStmt, label string) bool {
	named := false
	var nested func(l []ast.Stmt, top bool)
	nested = func(l []ast.Stmt, top bool) {
		for i, st := range l {
			switch s := st.(type) {
			case *ast.BranchStmt:
				if s.Tok == token.BREAK && s.Label == nil && (!top || i < len(l)-1) {
					s.Label = &ast.Ident{NamePos: s.End(), Name: label}
					named = true
				}
			case *ast.BlockStmt:
				nested(s.List, false)
			case *ast.IfStmt:
				nested(s.Body.List, false)
				for e := s.Else; e != nil; {
					switch x := e.(type) {
					case *ast.BlockStmt:
						nested(x.List, false)
						e = nil
					case *ast.IfStmt:
						nested(x.Body.List, false)
						e = x.Else
					default:
						e = nil
					}
				}
			case *ast.LabeledStmt:
				if b, ok := s.Stmt.(*ast.BlockStmt); ok {
					nested(b.List, false)
				}
			}
		}
	}
	for _, c := range sel.Body.List {
		cc := c.(*ast.CommClause)
		nested(cc.Body, true)
		if len(cc.Body) == 0 {
			continue
		}
		last, ok := cc.Body[len(cc.Body)-1].(*ast.BranchStmt)
		if ok && last.Tok != token.FALLTHROUGH && (last.Label != nil || last.Tok != token.BREAK) {
			cc.Body[len(cc.Body)-1] = &ast.IfStmt{If: last.Pos(), Cond: &ast.Ident{NamePos: last.Pos(), Name: "true"},
				Body: &ast.BlockStmt{Lbrace: last.Pos(), List: []ast.Stmt{last}, Rbrace: last.End()}}
		}
	}
	return named
}
