package rewrite

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
)

// typedConstants converts untyped constants to the type Go gives them
// where yaegi v0.16.1 gives them their default type instead: the left
// operand of a shift by a variable, which takes the type of its context
// (yaegi's int made `val | 1<<s` with val uint64 panic "call of
// reflect.Value.SetUint on int Value", and a shift count `1<<x` "call of
// reflect.Value.Uint on int Value"), and the value sent in a select case,
// which takes the channel's element type ("reflect.Select: value of type
// int is not assignable to type int32"), and an integer constant converted
// to a string, which is a rune ("constant definition loop" on
// string(iota + 'a')), and a constant comparison, which yaegi evaluated to
// false (const ok = 1 == 1). go/types gives the types, from
// the cell and the session's variables of known type (checkTypes): a
// constant whose type it cannot tell, or which names another package's
// type, stays as it is. It runs on the names as written, before the
// renames.
//
//	var u uint64 = 1 << s    ->   var u uint64 = uint64(1) << s
//	x << (1 << x)            ->   x << (uint(1) << x)
//	case c32 <- 123:         ->   case c32 <- int32(123):
//	string(iota + 'a')       ->   string(rune(iota + 'a'))
//	const ok = 1 == 1        ->   const ok = true
func typedConstants(fset *token.FileSet, f *ast.File, varTypes map[string]string) {
	var shifts []*ast.BinaryExpr
	var sends []*ast.SendStmt
	var strs []*ast.CallExpr
	var bools []*ast.ValueSpec          // constant specs with comparisons
	count := map[*ast.BinaryExpr]bool{} // shifts that are another shift's count
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GenDecl:
			if n.Tok == token.CONST {
				for _, sp := range n.Specs {
					if hasComparison(sp) {
						bools = append(bools, sp.(*ast.ValueSpec))
					}
				}
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "string" && len(n.Args) == 1 && isConstSyntax(n.Args[0]) {
				strs = append(strs, n)
			}
		case *ast.BinaryExpr:
			if n.Op != token.SHL && n.Op != token.SHR {
				break
			}
			if isConstSyntax(n.X) {
				shifts = append(shifts, n)
			}
			if y, ok := ast.Unparen(n.Y).(*ast.BinaryExpr); ok {
				count[y] = true
			}
		case *ast.CommClause:
			if s, ok := n.Comm.(*ast.SendStmt); ok && isConstSyntax(s.Value) {
				sends = append(sends, s)
			}
		}
		return true
	})
	if len(shifts) == 0 && len(sends) == 0 && len(strs) == 0 && len(bools) == 0 {
		return
	}
	pkg, info := checkTypes(fset, f, varTypes)
	if pkg == nil {
		return
	}
	// convert converts e to its type, or to untyped's when it has none.
	convert := func(e ast.Expr, untyped types.Type) ast.Expr {
		tv, ok := info.Types[e]
		if !ok || tv.Value == nil || tv.Type == nil {
			return e
		}
		typ := tv.Type
		if b, ok := typ.Underlying().(*types.Basic); !ok {
			return e
		} else if b.Info()&types.IsUntyped != 0 {
			if untyped == nil {
				return e
			}
			typ = untyped
		}
		if !expressible(typ, pkg) {
			return e
		}
		t, err := parser.ParseExpr(types.TypeString(typ, func(*types.Package) string { return "" }))
		if err != nil {
			return e
		}
		return &ast.CallExpr{Fun: t, Lparen: e.Pos(), Args: []ast.Expr{e}, Rparen: e.End()}
	}
	for _, s := range shifts {
		tv, ok := info.Types[s]
		if !ok || tv.Value != nil { // a constant shift
			continue
		}
		var untyped types.Type
		if count[s] { // go/types leaves a count untyped; Go requires a uint
			untyped = types.Typ[types.Uint]
		}
		s.X = convert(s.X, untyped)
	}
	for _, s := range sends {
		s.Value = convert(s.Value, nil)
	}
	for _, vs := range bools {
		for i, v := range vs.Values {
			if tv, ok := info.Types[v]; ok && tv.Value != nil && tv.Value.Kind() == constant.Bool {
				vs.Values[i] = &ast.Ident{NamePos: v.Pos(), Name: tv.Value.ExactString()}
			}
		}
	}
	for _, c := range strs {
		tv, ok := info.Types[c.Args[0]]
		if b, isBasic := tv.Type.(*types.Basic); ok && tv.Value != nil && isBasic && b.Info()&types.IsInteger != 0 {
			a := c.Args[0]
			c.Args[0] = &ast.CallExpr{Fun: &ast.Ident{NamePos: a.Pos(), Name: "rune"}, Lparen: a.Pos(), Args: []ast.Expr{a}, Rparen: a.End()}
		}
	}
}

// checkTypes type-checks f for the rewrites that need types, with the
// session's variables of known type (Facts.VarTypes) declared for it (a
// declaration that uses a variable is a unit of its own, without the
// variable's declaration). Imports are empty packages: what uses them is
// left untyped, and the rewrites leave it alone. It returns nil when the
// check could not start.
func checkTypes(fset *token.FileSet, f *ast.File, varTypes map[string]string) (*types.Package, *types.Info) {
	declared := map[string]bool{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok {
			for _, sp := range g.Specs {
				switch sp := sp.(type) {
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						declared[n.Name] = true
					}
				case *ast.TypeSpec:
					declared[sp.Name.Name] = true
				}
			}
		} else if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
			declared[fd.Name.Name] = true
		}
	}
	decls := f.Decls
	for name, typ := range varTypes {
		if declared[name] || !token.IsIdentifier(name) {
			continue
		}
		t, err := parser.ParseExpr(typ)
		if err != nil {
			continue
		}
		f.Decls = append(f.Decls, &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(name)}, Type: t}}})
	}
	defer func() { f.Decls = decls }()
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: emptyImporter{}, Error: func(error) {}}
	pkg, _ := conf.Check(f.Name.Name, fset, []*ast.File{f}, info)
	if pkg == nil {
		return nil, nil
	}
	return pkg, info
}

// hasComparison tells whether n has a comparison.
func hasComparison(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if b, ok := m.(*ast.BinaryExpr); ok {
			switch b.Op {
			case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
				found = true
			}
		}
		return !found
	})
	return found
}

// isConstSyntax tells whether e can be an untyped constant by its syntax
// alone: a literal, a name, or an expression of them without calls.
func isConstSyntax(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit, *ast.Ident:
		return true
	case *ast.ParenExpr:
		return isConstSyntax(e.X)
	case *ast.UnaryExpr:
		return e.Op != token.ARROW && e.Op != token.AND && isConstSyntax(e.X)
	case *ast.BinaryExpr:
		return isConstSyntax(e.X) && isConstSyntax(e.Y)
	case *ast.SelectorExpr: // math.MaxInt8
		_, ok := e.X.(*ast.Ident)
		return ok
	}
	return false
}

// arrayPointerIndex dereferences a pointer to an array that is indexed
// under &, which Go allows and yaegi v0.16.1 refuses ("cannot take address
// of int [kind: indexExpr]"). go/types tells which operands are pointers
// to arrays (from the cell, the variables of known type, as
// typedConstants, and the declarations of context: checkTypesIn).
//
//	&p[i]   ->   &(*p)[i]     (p a *[8]byte)
func arrayPointerIndex(fset *token.FileSet, f *ast.File, varTypes map[string]string, context []string) {
	var idx []*ast.IndexExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND {
			if ix, ok := ast.Unparen(u.X).(*ast.IndexExpr); ok {
				idx = append(idx, ix)
			}
		}
		return true
	})
	if len(idx) == 0 {
		return
	}
	pkg, info := checkTypesIn(fset, f, varTypes, context)
	if pkg == nil {
		return
	}
	for _, ix := range idx {
		t := info.Types[ix.X].Type
		if t == nil {
			continue
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			if _, ok := p.Elem().Underlying().(*types.Array); ok {
				ix.X = &ast.ParenExpr{Lparen: ix.X.Pos(), X: &ast.StarExpr{Star: ix.X.Pos(), X: ix.X}, Rparen: ix.X.End()}
			}
		}
	}
}

// rangeChanValues reads the values of a range over a slice or map of
// channels by index: yaegi v0.16.1 takes such a range with a value
// variable for a range over a channel ("call of reflect.Value.Len on int
// Value"). Only a slice or map named by a variable or field is taken, so
// that indexing it again is what ranging over it would read. go/types
// gives the types (checkTypes).
//
//	for _, d := range chans { d <- true }   ->   for ᐧi := range chans { d := chans[ᐧi]; d <- true }
//	for k, c := range m { ... }             ->   for ᐧi := range m { k, c := ᐧi, m[ᐧi]; ... }
func rangeChanValues(fset *token.FileSet, f *ast.File, varTypes map[string]string) {
	var ranges []*ast.RangeStmt
	ast.Inspect(f, func(n ast.Node) bool {
		if r, ok := n.(*ast.RangeStmt); ok && r.Tok == token.DEFINE && r.Key != nil && r.Value != nil && !isBlank(r.Value) && isVarPath(r.X) {
			ranges = append(ranges, r)
		}
		return true
	})
	if len(ranges) == 0 {
		return
	}
	_, info := checkTypes(fset, f, varTypes)
	if info == nil {
		return
	}
	for _, r := range ranges {
		t := info.Types[r.X].Type
		if t == nil {
			continue
		}
		var elem types.Type
		switch u := t.Underlying().(type) {
		case *types.Slice:
			elem = u.Elem()
		case *types.Map:
			elem = u.Elem()
		default:
			continue
		}
		if _, ok := elem.Underlying().(*types.Chan); !ok {
			continue
		}
		idx := &ast.IndexExpr{X: r.X, Index: ast.NewIdent("ᐧi")}
		def := &ast.AssignStmt{Lhs: []ast.Expr{r.Value}, TokPos: r.TokPos, Tok: token.DEFINE, Rhs: []ast.Expr{idx}}
		if !isBlank(r.Key) {
			def.Lhs = []ast.Expr{r.Key, r.Value}
			def.Rhs = []ast.Expr{ast.NewIdent("ᐧi"), idx}
		}
		r.Key, r.Value = ast.NewIdent("ᐧi"), nil
		r.Body.List = append([]ast.Stmt{def}, r.Body.List...)
	}
}

// isVarPath tells whether e is a name or a field path of one (v, v.f.g).
func isVarPath(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return isVarPath(e.X)
	}
	return false
}
