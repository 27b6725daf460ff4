package rewrite

import (
	"go/ast"
	"go/token"
)

// InitOrder puts the package-level variable declarations of f, a unit of
// declarations, in the order Go initialises them: by their dependencies,
// also those through the functions their values call, and by their order
// in the source otherwise. yaegi v0.16.1 follows the source, but for
// variables used directly, so `var n = len(f())` before `var calledF =
// false` that f sets ran f first and then reset calledF (Go's
// test/const4.go). go/types gives the order (Info.InitOrder); the
// declarations become one, where the first of them was.
//
//	var n = f()             ->   var (
//	var called = false               called = false
//	func f() int { ... }             n      = f()
//	                              )
//	                              func f() int { ... }
//
// It runs on the unit as built (after File), so the names are the
// interpreter's; what the unit uses from the session is unknown to the
// check and does not order anything.
func InitOrder(fset *token.FileSet, f *ast.File) {
	var specs []*ast.ValueSpec
	first := -1
	for i, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			if first < 0 {
				first = i
			}
			for _, sp := range g.Specs {
				specs = append(specs, sp.(*ast.ValueSpec))
			}
		}
	}
	if len(specs) < 2 {
		return
	}
	pkg, info := checkTypes(fset, f, nil)
	if pkg == nil {
		return
	}
	// The spec of each initializer, by the position of its first value.
	byValue := map[token.Pos]*ast.ValueSpec{}
	for _, sp := range specs {
		if len(sp.Values) > 0 {
			byValue[sp.Values[0].Pos()] = sp
		}
	}
	// The initialised specs take the places they had, in Go's order; the
	// others (zero values: nothing to order) keep theirs.
	var byOrder []*ast.ValueSpec
	placed := map[*ast.ValueSpec]bool{}
	for _, in := range info.InitOrder {
		if sp := byValue[in.Rhs.Pos()]; sp != nil && !placed[sp] {
			byOrder = append(byOrder, sp)
			placed[sp] = true
		}
	}
	for _, sp := range specs {
		if len(sp.Values) > 0 && !placed[sp] { // what the check could not order: after, as in the source
			byOrder = append(byOrder, sp)
		}
	}
	ordered := make([]ast.Spec, len(specs))
	for i, sp := range specs {
		ordered[i] = sp
		if len(sp.Values) > 0 {
			ordered[i], byOrder = byOrder[0], byOrder[1:]
		}
	}
	same := true
	for i, sp := range specs {
		same = same && ordered[i] == sp
	}
	if same {
		return
	}
	g := &ast.GenDecl{TokPos: f.Decls[first].Pos(), Tok: token.VAR, Lparen: f.Decls[first].Pos(), Specs: ordered, Rparen: f.Decls[first].Pos()}
	decls := []ast.Decl{}
	for i, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
			if i == first {
				decls = append(decls, g)
			}
			continue
		}
		decls = append(decls, d)
	}
	f.Decls = decls
}
