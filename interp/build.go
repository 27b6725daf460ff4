package interp

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// build parses u on fset and rewrites it into what the interpreter runs.
func build(fset *token.FileSet, u *unit) (ast.Node, *Error) {
	switch u.kind {
	case segImport:
		gd := &ast.GenDecl{Tok: token.IMPORT}
		for _, im := range u.imports {
			gd.Specs = append(gd.Specs, &ast.ImportSpec{Name: ast.NewIdent(im[0]), Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(im[1])}})
		}
		return &ast.File{Name: ast.NewIdent("main"), Decls: []ast.Decl{gd}}, nil
	case segDecl:
		out := &ast.File{Name: ast.NewIdent("main")}
		for _, p := range u.pieces {
			f, err := parsePiece(fset, p, segDecl, 0)
			if err != nil {
				return nil, syntaxErr(err)
			}
			rewrite(fset, f, u)
			if out.Package == token.NoPos {
				out.Package = f.Package
			}
			out.Decls = append(out.Decls, f.Decls...)
		}
		return out, nil
	default:
		var body *ast.BlockStmt
		for _, p := range u.pieces {
			var f *ast.File
			if len(u.pieces) == 1 {
				f = u.pre.take(fset, u.preFrom, u.preTo)
			}
			if f != nil {
				u.pre = nil // rewrite changes it: once only
			} else {
				var err error
				if f, err = parsePiece(fset, p, segStmt, 0); err != nil {
					return nil, syntaxErr(err)
				}
			}
			rewrite(fset, f, u)
			b := f.Decls[0].(*ast.FuncDecl).Body
			var cerr *Error
			b.List, cerr = topLevelCommaOk(fset, b.List, u.varTypes)
			if cerr != nil {
				return nil, cerr
			}
			typedTopLevelIndex(b.List, u.operands)
			for i, st := range b.List {
				if needsFuncScope(st) {
					b.List[i] = inFunc(st)
				}
			}
			if body == nil {
				body = b
			} else {
				body.List = append(body.List, b.List...)
			}
		}
		if u.show > 0 && len(body.List) > 0 {
			if es, ok := body.List[len(body.List)-1].(*ast.ExprStmt); ok {
				show := func(arg ast.Expr) *ast.ExprStmt {
					return &ast.ExprStmt{X: &ast.CallExpr{
						Fun:  &ast.SelectorExpr{X: ast.NewIdent("ᐧs"), Sel: ast.NewIdent("Show")},
						Args: []ast.Expr{arg},
					}}
				}
				if u.show == showAssign {
					// Through a variable, so that yaegi knows the static type
					// and wraps interpreted values whose methods Show needs.
					body.List[len(body.List)-1] = &ast.BlockStmt{List: []ast.Stmt{
						&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("ᐧv")}, Tok: token.DEFINE, Rhs: []ast.Expr{es.X}},
						show(ast.NewIdent("ᐧv")),
					}}
				} else {
					body.List[len(body.List)-1] = show(es.X)
				}
			}
		}
		return body, nil
	}
}

const (
	showDirect = 1 // ᐧs.Show(E): multiple values
	showAssign = 2 // { ᐧv := E; ᐧs.Show(ᐧv) }
	showProbe  = 3 // unknown: find out
)

// builtinRenames replaces Go 1.21 builtins yaegi lacks by helpers the
// bootstrap defines, unless a cell defined its own.
var builtinRenames = map[string]string{"min": "ᐧmin", "max": "ᐧmax", "clear": "ᐧclear"}

// rewrite renames session names to their internal names and turns syntax
// yaegi does not support into what it does.
func rewrite(fset *token.FileSet, f *ast.File, u *unit) {
	if !u.noCheck {
		guardRecursion(f, u.recursive) // keyed on the names as written: before the renames
	}
	free := map[*ast.Ident]bool{}
	for _, id := range f.Unresolved {
		free[id] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		if !free[id] && (id.Obj == nil || f.Scope.Lookup(id.Name) != id.Obj) {
			return true
		}
		if in, ok := u.rename[id.Name]; ok {
			id.Name = in
		} else if in, ok := builtinRenames[id.Name]; ok && free[id] {
			id.Name = in
		}
		return true
	})
	if u.noCheck {
		return
	}
	// Each rewrite below walks the whole file: skip those whose construct
	// the unit's text does not have (a 200-line cell spends ~0.1 ms a walk).
	has := func(word string) bool {
		for _, p := range u.pieces {
			if strings.Contains(p.text, word) {
				return true
			}
		}
		return false
	}
	// os.Stdin reads from the frontend (ᐧs.Stdin), as fmt.Scan does.
	if has("Stdin") {
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Stdin" {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "os" && free[id] && !u.osShadowed {
					id.Name = "ᐧs"
				}
			}
			return true
		})
	}
	if has(".Go(") {
		guardGoMethods(f)
	}
	if has("for") {
		perIterationLoopVars(f)
	}
	if has("switch") {
		typeSwitchesToAssertions(f, u.sessionTypes)
	}
	if !has("range") && !has("go") {
		return // the statement rewrites below are of range and go statements
	}
	var ints map[string]bool
	if has("range") {
		ints = intNames(f, u.ints)
	}
	done := map[ast.Node]bool{}
	var list func(stmts []ast.Stmt)
	list = func(stmts []ast.Stmt) {
		for i, st := range stmts {
			stmts[i] = rewriteStmt(fset, u, st, ints, done)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BlockStmt:
			list(n.List)
		case *ast.CaseClause:
			list(n.Body)
		case *ast.CommClause:
			list(n.Body)
		}
		return true
	})
}

// rewriteStmt applies the statement rewrites (range over an int or a
// func, go statements) to st; done marks go statements already rewritten.
func rewriteStmt(fset *token.FileSet, u *unit, st ast.Stmt, ints map[string]bool, done map[ast.Node]bool) ast.Stmt {
	switch x := st.(type) {
	case *ast.LabeledStmt:
		if r, ok := x.Stmt.(*ast.RangeStmt); ok {
			if blk := rangeInt(r, ints, x.Label); blk != nil {
				return blk
			}
		}
		if g, ok := x.Stmt.(*ast.GoStmt); ok && !done[g] { // `L: go f()`, a goto target
			done[g] = true
			x.Stmt = goRecover(fset, g, done)
		}
	case *ast.RangeStmt:
		if blk := rangeInt(x, ints, nil); blk != nil {
			return blk
		}
		if call := rangeFunc(x, u.funcTypes); call != nil {
			return call
		}
	case *ast.GoStmt:
		if done[x] {
			return x
		}
		done[x] = true
		return goRecover(fset, x, done)
	}
	return st
}

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
		return x.Kind == token.INT
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
// constants of integer kind, and names the code declares as integers.
func intNames(f *ast.File, globals map[string]bool) map[string]bool {
	ints := map[string]bool{}
	isIntType := func(t ast.Expr) bool {
		id, ok := t.(*ast.Ident)
		return ok && intTypeNames[id.Name]
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

// goRecover rewrites `go f(a, b)` into
// `{ ᐧa0, ᐧa1 := a, b; go func() { defer <recover and report>; f(ᐧa0, ᐧa1) }() }`:
// arguments are still evaluated by the go statement, and a panic in the
// goroutine is reported instead of killing the process (a deferred
// recover must be interpreted code to work).
func goRecover(fset *token.FileSet, g *ast.GoStmt, done map[ast.Node]bool) ast.Stmt {
	tmpl, err := parser.ParseExprFrom(fset, "goroutine", "func() { defer func() { if ᐧr := recover(); ᐧr != nil { ᐧs.GoPanic(ᐧr) } }() }", 0)
	if err != nil {
		return g
	}
	lit := tmpl.(*ast.FuncLit)
	call := g.Call
	var pre []ast.Stmt
	if len(call.Args) > 0 {
		as := &ast.AssignStmt{Tok: token.DEFINE}
		newArgs := make([]ast.Expr, len(call.Args))
		for i, a := range call.Args {
			id := ast.NewIdent("ᐧa" + strconv.Itoa(i))
			as.Lhs = append(as.Lhs, id)
			as.Rhs = append(as.Rhs, a)
			newArgs[i] = ast.NewIdent(id.Name)
		}
		pre = append(pre, as)
		call = &ast.CallExpr{Fun: call.Fun, Args: newArgs, Ellipsis: call.Ellipsis}
	}
	lit.Body.List = append(lit.Body.List, &ast.ExprStmt{X: call})
	ng := &ast.GoStmt{Go: g.Go, Call: &ast.CallExpr{Fun: lit}}
	done[ng] = true
	if len(pre) == 0 {
		return ng
	}
	return &ast.BlockStmt{List: append(pre, ng)}
}

// topLevelCommaOk rewrites the comma-ok forms `v, ok := x.(T)`,
// `v, ok := m[k]` and `v, ok := <-c` at the top level of a cell, which make
// yaegi panic, into `var v T; var ok bool; func() { v, ok = ... }()`. T
// comes from the assertion, or from the declared type of the map or
// channel (types maps variable names to their types, when known).
func topLevelCommaOk(fset *token.FileSet, list []ast.Stmt, types map[string]string) ([]ast.Stmt, *Error) {
	var out []ast.Stmt
	for _, st := range list {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 2 || len(as.Rhs) != 1 {
			out = append(out, st)
			continue
		}
		var typ ast.Expr
		var holder ast.Expr
		switch x := as.Rhs[0].(type) {
		case *ast.TypeAssertExpr:
			typ = x.Type
		case *ast.IndexExpr:
			holder = x.X
		case *ast.UnaryExpr:
			if x.Op != token.ARROW {
				out = append(out, st)
				continue
			}
			holder = x.X
		default:
			out = append(out, st)
			continue
		}
		if holder != nil {
			if id, ok := holder.(*ast.Ident); ok && types[id.Name] != "" {
				if te, err := parser.ParseExpr(types[id.Name]); err == nil {
					switch t := te.(type) {
					case *ast.MapType:
						typ = t.Value
					case *ast.ChanType:
						typ = t.Value
					}
				}
			}
			if typ == nil {
				pos := fset.Position(as.Pos())
				return nil, compileErr(fmt.Sprintf("%s: the interpreter cannot define two variables from %s at the top level of a cell: "+
					"declare them first (var v T; var ok bool) and assign them (v, ok = ...), or do it inside a function", pos, nodeString(as.Rhs[0])))
			}
		}
		decl := func(lhs ast.Expr, typ ast.Expr) {
			if id, ok := lhs.(*ast.Ident); ok && id.Name != "_" {
				out = append(out, &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: as.Pos(), Tok: token.VAR, Specs: []ast.Spec{
					&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(id.Name)}, Type: typ},
				}}})
			}
		}
		decl(as.Lhs[0], typ)
		decl(as.Lhs[1], ast.NewIdent("bool"))
		assign := &ast.AssignStmt{Lhs: as.Lhs, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: as.Rhs}
		out = append(out, &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{
			Type: &ast.FuncType{Func: as.Pos(), Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{List: []ast.Stmt{assign}},
		}}})
	}
	return out, nil
}

func nodeString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.IndexExpr:
		return "a map index (v, ok := m[k])"
	case *ast.UnaryExpr:
		return "a channel receive (v, ok := <-c)"
	default:
		_ = x
		return "this expression"
	}
}

// needsFuncScope reports a top-level compound statement that defines
// variables in its own scopes (`for i := ...`, `x, y := f()` in a loop
// body...). yaegi gets such variables wrong in blocks at the global level:
// a two-value definition is lost ("undefined: x"), and a definition of a
// name that is also a global overwrites the global. Inside a function
// both are right, so such statements run as `func() { st }()`.
func needsFuncScope(st ast.Stmt) bool {
	switch st.(type) {
	case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.BlockStmt, *ast.LabeledStmt:
	default:
		return false
	}
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				found = true
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				found = true
			}
		case *ast.DeclStmt, *ast.TypeSwitchStmt:
			found = true
		}
		return !found
	})
	return found
}

// inFunc wraps st as `func() { st }()`.
func inFunc(st ast.Stmt) ast.Stmt {
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Func: st.Pos(), Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{st}},
	}}}
}

// rangeFunc turns a range over a function iterator (Go 1.23), when the
// iterator's type is known from its declaration, into a call:
// `for k, v := range seq { body }` becomes
// `seq(func(k K, v V) bool { body; return true })`, continue becoming
// `return true` and break `return false`. Loops the rewrite cannot keep
// (return, goto, labels) are left to fail with the session's clear error.
func rangeFunc(r *ast.RangeStmt, funcTypes map[string]string) ast.Stmt {
	var typText string
	switch x := r.X.(type) {
	case *ast.Ident:
		typText = funcTypes[x.Name]
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok {
			typText = funcTypes["call:"+id.Name]
		}
	case *ast.FuncLit:
		typText = types.ExprString(x.Type)
	}
	if typText == "" {
		return nil
	}
	te, err := parser.ParseExpr(typText)
	if err != nil {
		return nil
	}
	ft, ok := te.(*ast.FuncType)
	if !ok || ft.Params.NumFields() != 1 || ft.Results.NumFields() != 0 {
		return nil
	}
	yt, ok := ft.Params.List[0].Type.(*ast.FuncType)
	if !ok || yt.Results.NumFields() != 1 || yt.Params.NumFields() > 2 {
		return nil
	}
	var ptypes []ast.Expr
	for _, f := range yt.Params.List {
		n := max(len(f.Names), 1)
		for i := 0; i < n; i++ {
			ptypes = append(ptypes, f.Type)
		}
	}
	if (r.Key != nil && len(ptypes) < 1) || (r.Value != nil && len(ptypes) < 2) || !loopBodyRewritable(r.Body) {
		return nil
	}
	params := &ast.FieldList{}
	var pre []ast.Stmt
	vars := []ast.Expr{r.Key, r.Value}
	for i, t := range ptypes {
		name := "_"
		if v := vars[i]; v != nil && !isBlank(v) {
			if r.Tok == token.DEFINE {
				name = v.(*ast.Ident).Name
			} else {
				name = fmt.Sprintf("ᐧp%d", i)
				pre = append(pre, &ast.AssignStmt{Lhs: []ast.Expr{v}, Tok: token.ASSIGN, Rhs: []ast.Expr{ast.NewIdent(name)}})
			}
		}
		params.List = append(params.List, &ast.Field{Names: []*ast.Ident{ast.NewIdent(name)}, Type: t})
	}
	body := rewriteLoopControl(r.Body)
	body.List = append(pre, append(body.List, &ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent("true")}})...)
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: r.X, Lparen: r.For, Args: []ast.Expr{&ast.FuncLit{
		Type: &ast.FuncType{Func: r.For, Params: params, Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("bool")}}}},
		Body: body,
	}}}}
}

// loopBodyRewritable reports a loop body without return, goto or labeled
// branches (outside nested function literals).
func loopBodyRewritable(b *ast.BlockStmt) bool {
	ok := true
	ast.Inspect(b, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			ok = false
		case *ast.BranchStmt:
			if x.Label != nil || x.Tok == token.GOTO {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// rewriteLoopControl turns the body's own continue and break (not those of
// nested loops, switches and selects) into returns of the yield function.
func rewriteLoopControl(b *ast.BlockStmt) *ast.BlockStmt {
	var walk func(n ast.Node, inLoop, inSwitch bool)
	walk = func(n ast.Node, inLoop, inSwitch bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if m == n {
				return true
			}
			switch x := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				walk(x, true, inSwitch)
				return false
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				walk(x, inLoop, true)
				return false
			case *ast.BlockStmt:
				for i, st := range x.List {
					x.List[i] = controlStmt(st, inLoop, inSwitch)
				}
			case *ast.CaseClause:
				for i, st := range x.Body {
					x.Body[i] = controlStmt(st, inLoop, inSwitch)
				}
			case *ast.CommClause:
				for i, st := range x.Body {
					x.Body[i] = controlStmt(st, inLoop, inSwitch)
				}
			}
			return true
		})
	}
	for i, st := range b.List {
		b.List[i] = controlStmt(st, false, false)
	}
	walk(b, false, false)
	return b
}

func controlStmt(st ast.Stmt, inLoop, inSwitch bool) ast.Stmt {
	br, ok := st.(*ast.BranchStmt)
	if !ok || br.Label != nil {
		return st
	}
	switch {
	case br.Tok == token.CONTINUE && !inLoop:
		return &ast.ReturnStmt{Return: br.Pos(), Results: []ast.Expr{ast.NewIdent("true")}}
	case br.Tok == token.BREAK && !inLoop && !inSwitch:
		return &ast.ReturnStmt{Return: br.Pos(), Results: []ast.Expr{ast.NewIdent("false")}}
	}
	return st
}

// perIterationLoopVars gives loops Go 1.22's per-iteration variables where
// it shows: yaegi shares one variable across iterations, so closures made in
// a loop would all see its last value. A body with a function literal gets
// `i := i` at its start for each loop variable (for a three-clause loop,
// only when the body does not assign the variable itself).
func perIterationLoopVars(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		var vars []*ast.Ident
		var body *ast.BlockStmt
		switch x := n.(type) {
		case *ast.RangeStmt:
			if x.Tok != token.DEFINE {
				return true
			}
			for _, e := range []ast.Expr{x.Key, x.Value} {
				if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
					vars = append(vars, id)
				}
			}
			body = x.Body
		case *ast.ForStmt:
			as, ok := x.Init.(*ast.AssignStmt)
			if !ok || as.Tok != token.DEFINE {
				return true
			}
			for _, e := range as.Lhs {
				if id, ok := e.(*ast.Ident); ok && id.Name != "_" && !assigns(x.Body, id.Name) {
					vars = append(vars, id)
				}
			}
			body = x.Body
		default:
			return true
		}
		if len(vars) == 0 || body == nil || !hasFuncLit(body) {
			return true
		}
		copies := make([]ast.Stmt, 0, len(vars)+len(body.List))
		for _, v := range vars {
			copies = append(copies, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(v.Name)}, Tok: token.DEFINE, Rhs: []ast.Expr{ast.NewIdent(v.Name)}})
		}
		body.List = append(copies, body.List...)
		return true
	})
}

func hasFuncLit(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if _, ok := m.(*ast.FuncLit); ok {
			found = true
		}
		return !found
	})
	return found
}

// assigns reports whether n assigns name or takes its address.
func assigns(n ast.Node, name string) bool {
	found := false
	is := func(e ast.Expr) bool {
		id, ok := e.(*ast.Ident)
		return ok && id.Name == name
	}
	ast.Inspect(n, func(m ast.Node) bool {
		switch x := m.(type) {
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE {
				for _, l := range x.Lhs {
					if is(l) {
						found = true
					}
				}
			}
		case *ast.IncDecStmt:
			if is(x.X) {
				found = true
			}
		case *ast.UnaryExpr:
			if x.Op == token.AND && is(x.X) {
				found = true
			}
		}
		return !found
	})
	return found
}

// typeSwitchesToAssertions rewrites type switches with a case naming a
// type defined in a cell: when the value came back from native code (a
// layer stored in an nn.Sequential), yaegi's type switch sees the native
// wrapper and falls to default, while a type assertion unwraps it. So
//
//	switch v := x.(type) { case *T: A; case U, V: B; default: C }
//
// becomes
//
//	switch ᐧx := x; { default:
//		if v, ok := ᐧx.(*T); ok { A } else if _, ok := ᐧx.(U); ok || ... { v := ᐧx; B } else { v := ᐧx; C } }
//
// (the switch keeps `break` meaning what it meant).
func typeSwitchesToAssertions(f *ast.File, sessionTypes map[string]bool) {
	names := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && sessionTypes[id.Name] {
				found = true
			}
			return !found
		})
		return found
	}
	var fix func(list []ast.Stmt)
	fix = func(list []ast.Stmt) {
		for i, st := range list {
			ts, ok := st.(*ast.TypeSwitchStmt)
			if !ok {
				continue
			}
			uses := false
			for _, c := range ts.Body.List {
				for _, t := range c.(*ast.CaseClause).List {
					if names(t) {
						uses = true
					}
				}
			}
			if uses {
				if r := typeSwitchChain(ts); r != nil {
					list[i] = r
				}
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BlockStmt:
			fix(x.List)
		case *ast.CaseClause:
			fix(x.Body)
		case *ast.CommClause:
			fix(x.Body)
		}
		return true
	})
}

// typeSwitchChain is the rewrite of one type switch for
// typeSwitchesToAssertions, nil when its form is not one it handles.
func typeSwitchChain(ts *ast.TypeSwitchStmt) ast.Stmt {
	var bound string // v in `switch v := x.(type)`
	var subject ast.Expr
	switch a := ts.Assign.(type) {
	case *ast.AssignStmt:
		if len(a.Lhs) != 1 || len(a.Rhs) != 1 {
			return nil
		}
		bound = a.Lhs[0].(*ast.Ident).Name
		ta, ok := a.Rhs[0].(*ast.TypeAssertExpr)
		if !ok {
			return nil
		}
		subject = ta.X
	case *ast.ExprStmt:
		ta, ok := a.X.(*ast.TypeAssertExpr)
		if !ok {
			return nil
		}
		subject = ta.X
	default:
		return nil
	}
	x := func() ast.Expr { return ast.NewIdent("ᐧx") }
	bindAll := func(body []ast.Stmt) []ast.Stmt {
		if bound == "" || bound == "_" {
			return body
		}
		return append([]ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(bound)}, Tok: token.DEFINE, Rhs: []ast.Expr{x()}}}, body...)
	}
	var chain ast.Stmt
	var last *ast.IfStmt
	var deflt []ast.Stmt
	hasDefault := false
	for _, c := range ts.Body.List {
		cc := c.(*ast.CaseClause)
		if cc.List == nil {
			deflt, hasDefault = cc.Body, true
			continue
		}
		var ifs *ast.IfStmt
		if len(cc.List) == 1 && !isNilIdent(cc.List[0]) {
			name := bound
			if name == "" {
				name = "_"
			}
			ifs = &ast.IfStmt{
				Init: &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(name), ast.NewIdent("ᐧok")}, Tok: token.DEFINE,
					Rhs: []ast.Expr{&ast.TypeAssertExpr{X: x(), Type: cc.List[0]}}},
				Cond: ast.NewIdent("ᐧok"),
				Body: &ast.BlockStmt{List: cc.Body},
			}
		} else {
			var cond ast.Expr
			for _, t := range cc.List {
				var one ast.Expr
				if isNilIdent(t) {
					one = &ast.BinaryExpr{X: x(), Op: token.EQL, Y: ast.NewIdent("nil")}
				} else {
					one = &ast.CallExpr{Fun: &ast.FuncLit{
						Type: &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("bool")}}}},
						Body: &ast.BlockStmt{List: []ast.Stmt{
							&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_"), ast.NewIdent("ᐧok")}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.TypeAssertExpr{X: x(), Type: t}}},
							&ast.ReturnStmt{Results: []ast.Expr{ast.NewIdent("ᐧok")}},
						}},
					}}
				}
				if cond == nil {
					cond = one
				} else {
					cond = &ast.BinaryExpr{X: cond, Op: token.LOR, Y: one}
				}
			}
			ifs = &ast.IfStmt{Cond: cond, Body: &ast.BlockStmt{List: bindAll(cc.Body)}}
		}
		if last == nil {
			chain = ifs
		} else {
			last.Else = ifs
		}
		last = ifs
	}
	if hasDefault {
		if last == nil {
			chain = &ast.BlockStmt{List: bindAll(deflt)}
		} else {
			last.Else = &ast.BlockStmt{List: bindAll(deflt)}
		}
	}
	inner := []ast.Stmt{&ast.AssignStmt{Lhs: []ast.Expr{x()}, Tok: token.DEFINE, Rhs: []ast.Expr{subject}}}
	if ts.Init != nil {
		inner = append([]ast.Stmt{ts.Init}, inner...)
	}
	if chain != nil {
		inner = append(inner, chain)
	}
	return &ast.SwitchStmt{Switch: ts.Switch, Body: &ast.BlockStmt{List: []ast.Stmt{&ast.CaseClause{Body: inner}}}}
}

func isNilIdent(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}

// guardRecursion starts each recursive function (named in recursive: "f"
// or "T.M") with `defer ᐧs.Leave(ᐧs.Enter())`, which turns runaway
// recursion into a panic before the stack overflows.
func guardRecursion(f *ast.File, recursive map[string]bool) {
	if len(recursive) == 0 {
		return
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		key := fd.Name.Name
		if fd.Recv != nil && len(fd.Recv.List) == 1 {
			key = recvName(fd.Recv.List[0].Type) + "." + key
		}
		if !recursive[key] {
			continue
		}
		guard := &ast.DeferStmt{Defer: fd.Body.Lbrace, Call: &ast.CallExpr{
			Fun:  &ast.SelectorExpr{X: ast.NewIdent("ᐧs"), Sel: ast.NewIdent("Leave")},
			Args: []ast.Expr{&ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent("ᐧs"), Sel: ast.NewIdent("Enter")}}},
		}}
		fd.Body.List = append([]ast.Stmt{guard}, fd.Body.List...)
	}
}

// guardGoMethods wraps a func() literal passed to a method named Go
// (`wg.Go(func() {...})`, which starts a goroutine in sync.WaitGroup) in
// ᐧs.Guard, so that a panic in it is reported instead of ending the
// process (guard.go). Called by interpreted code, the guarded func lets a
// panic go on as before.
func guardGoMethods(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 {
			return true
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Go" {
			return true
		}
		lit, ok := c.Args[0].(*ast.FuncLit)
		if !ok || lit.Type.Params.NumFields() != 0 || lit.Type.Results.NumFields() != 0 {
			return true
		}
		where := &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(cleanNames(types.ExprString(sel)))}
		c.Args[0] = &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent("ᐧs"), Sel: ast.NewIdent("Guard")}, Args: []ast.Expr{where, lit}}
		return true
	})
}
