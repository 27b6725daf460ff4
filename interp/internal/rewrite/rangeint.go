package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// rangeInt turns `for i := range n` (n an integer) into
// `{ ᐧn := n; for i := ᐧn - ᐧn; i < ᐧn; i++ {...} }`, which gives i the type
// of n as Go 1.22 does.
func rangeInt(r *ast.RangeStmt, ints map[string]bool, label *ast.Ident) ast.Stmt {
	if r.Value != nil || !isIntExpr(r.X, ints) {
		return nil
	}
	n := ast.NewIdent("ᐧn")
	key := r.Key
	tok := r.Tok
	if key == nil || isBlank(key) {
		key = ast.NewIdent("ᐧi")
		tok = token.DEFINE
	}
	loop := &ast.ForStmt{
		For:  r.For,
		Init: &ast.AssignStmt{Lhs: []ast.Expr{key}, Tok: tok, Rhs: []ast.Expr{&ast.BinaryExpr{X: n, Op: token.SUB, Y: ast.NewIdent("ᐧn")}}},
		Cond: &ast.BinaryExpr{X: key, Op: token.LSS, Y: ast.NewIdent("ᐧn")},
		Post: &ast.IncDecStmt{X: key, Tok: token.INC},
		Body: r.Body,
	}
	var inner ast.Stmt = loop
	if label != nil {
		inner = &ast.LabeledStmt{Label: label, Stmt: loop}
	}
	return &ast.BlockStmt{List: []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("ᐧn")}, Tok: token.DEFINE, Rhs: []ast.Expr{r.X}},
		inner,
	}}
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// intFuncs are the builtins and conversions whose result is an integer.
var intFuncs = func() map[string]bool {
	m := map[string]bool{"len": true, "cap": true}
	for n := range intTypeNames {
		m[n] = true // conversions
	}
	return m
}()

// isIntExpr guesses, without type checking, whether e is an integer.
func isIntExpr(e ast.Expr, ints map[string]bool) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT || x.Kind == token.CHAR
	case *ast.ParenExpr:
		return isIntExpr(x.X, ints)
	case *ast.Ident:
		return ints[x.Name]
	case *ast.CallExpr:
		switch f := x.Fun.(type) {
		case *ast.Ident:
			return intFuncs[f.Name] || ints["call:"+f.Name]
		case *ast.SelectorExpr:
			if id, ok := f.X.(*ast.Ident); ok {
				return ints["call:"+id.Name+"."+f.Sel.Name]
			}
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return ints[id.Name+"."+x.Sel.Name]
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.SHL, token.SHR, token.AND, token.OR, token.XOR, token.AND_NOT:
			return isIntExpr(x.X, ints) || isIntExpr(x.Y, ints)
		}
	case *ast.UnaryExpr:
		return x.Op == token.SUB && isIntExpr(x.X, ints)
	}
	return false
}

// intNames collects names that are integers: session variables and
// constants of integer kind, and names the code declares as integers
// (with "type:T" for the integer types it declares, whose conversions are
// integers).
func intNames(f *ast.File, globals map[string]bool) map[string]bool {
	ints := map[string]bool{}
	isIntType := func(t ast.Expr) bool {
		id, ok := t.(*ast.Ident)
		return ok && (intTypeNames[id.Name] || ints["type:"+id.Name])
	}
	// Several passes so that `a := 3; b := a * 2` works.
	for pass := 0; pass < 3; pass++ {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE && len(x.Lhs) == len(x.Rhs) {
					for i, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok && isIntExpr(x.Rhs[i], ints) {
							ints[id.Name] = true
						}
					}
				}
			case *ast.ValueSpec:
				for i, id := range x.Names {
					if (x.Type != nil && isIntType(x.Type)) || (x.Type == nil && i < len(x.Values) && isIntExpr(x.Values[i], ints)) {
						ints[id.Name] = true
					}
				}
			case *ast.Field:
				if isIntType(x.Type) {
					for _, id := range x.Names {
						ints[id.Name] = true
					}
				}
			case *ast.TypeSpec:
				if isIntType(x.Type) { // type MyInt int: MyInt(4) is an integer
					ints["type:"+x.Name.Name] = true
					ints["call:"+x.Name.Name] = true
				}
			case *ast.FuncDecl:
				if x.Recv == nil && x.Type.Results.NumFields() == 1 && isIntType(x.Type.Results.List[0].Type) {
					ints["call:"+x.Name.Name] = true
				}
			}
			return true
		})
	}
	for name := range globals {
		if _, shadowed := ints[name]; !shadowed {
			ints[name] = true
		}
	}
	return ints
}

// IntTypes names the integer types (type Level int, type L2 Level) among
// decls, type declarations as source; the session gives their conversions
// to rangeInt through Facts.Ints ("type:T", "call:T").
func IntTypes(decls []string) []string {
	if len(decls) == 0 {
		return nil
	}
	f, err := parser.ParseFile(token.NewFileSet(), "types.go", "package main\n"+strings.Join(decls, "\n"), parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var out []string
	for name := range intNames(&ast.File{Decls: f.Decls}, nil) {
		if t, ok := strings.CutPrefix(name, "type:"); ok {
			out = append(out, t)
		}
	}
	return out
}
