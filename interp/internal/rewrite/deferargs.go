package rewrite

import (
	"go/ast"
	"go/token"
	"strconv"
)

// deferArgs evaluates a deferred call's arguments when the defer statement
// runs, as Go does. yaegi v0.16.1 keeps the variable an argument reads,
// and the slot a call's result went to, not the value: a variable changed
// after the defer, or a defer in a loop, gave the deferred call the last
// value (`for i := 0; i < 3; i++ { defer f(i) }` called f(3) three
// times). Arguments that read a variable, and in a loop also those that
// call a function, are copied into fresh variables first, which yaegi
// keeps apart:
//
//	defer fmt.Println("x =", x)  ->  ᐧd0 := x; defer fmt.Println("x =", ᐧd0)
//	for ... { defer f(g(i)) }    ->  for ... { ᐧd0 := g(i); defer f(ᐧd0) }
//
// Constants stay as they are (a copy would give an untyped constant its
// default type), and so does a single call argument, which may have several
// values, unless it calls a function of one result. The deferred function
// and a method's receiver are not copied (a copy of a receiver would
// unlock a copy of a mutex). vars are the session's variables; a free name
// not among them is taken for a constant or a function. It runs on the
// names as written, before the renames.
func deferArgs(f *ast.File, vars map[string]bool) {
	has := false
	ast.Inspect(f, func(n ast.Node) bool {
		_, is := n.(*ast.DeferStmt)
		has = has || is
		return !has
	})
	if !has {
		return
	}
	d := &deferInfo{consts: map[string]bool{}, single: map[string]bool{}, free: map[*ast.Ident]bool{}, vars: vars, done: map[*ast.DeferStmt]bool{}}
	for _, n := range []string{"len", "cap", "append", "make", "new", "complex", "real", "imag", "min", "max",
		"bool", "string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
		"uintptr", "float32", "float64", "complex64", "complex128", "byte", "rune", "any", "error"} {
		d.single[n] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.GenDecl:
			for _, sp := range x.Specs {
				switch sp := sp.(type) {
				case *ast.ValueSpec:
					if x.Tok == token.CONST {
						for _, id := range sp.Names {
							d.consts[id.Name] = true
						}
					}
				case *ast.TypeSpec:
					d.single[sp.Name.Name] = true // a conversion
				}
			}
		case *ast.FuncDecl:
			if x.Recv == nil && x.Type.Results.NumFields() == 1 {
				d.single[x.Name.Name] = true
			}
		}
		return true
	})
	PackageRefs(f, func(id *ast.Ident, free bool) {
		if free {
			d.free[id] = true
		}
	})
	for _, decl := range f.Decls {
		if fd, ok := decl.(*ast.FuncDecl); ok && fd.Body != nil {
			d.walk(fd.Body, false)
		}
	}
}

type deferInfo struct {
	consts map[string]bool     // names the file declares as constants
	single map[string]bool     // funcs of one result, and conversions
	free   map[*ast.Ident]bool // identifiers the file does not declare
	vars   map[string]bool     // the session's variables
	n      int                 // copies made
	done   map[*ast.DeferStmt]bool
}

// walk rewrites the defer statements of n; loop says whether n runs in a
// loop of the function that defers.
func (d *deferInfo) walk(n ast.Node, loop bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ForStmt:
			d.walk(x.Body, true)
			return false
		case *ast.RangeStmt:
			d.walk(x.Body, true)
			return false
		case *ast.FuncLit:
			d.walk(x.Body, false)
			return false
		case *ast.BlockStmt:
			x.List = d.list(x.List, loop)
		case *ast.CaseClause:
			x.Body = d.list(x.Body, loop)
		case *ast.CommClause:
			x.Body = d.list(x.Body, loop)
		}
		return true
	})
}

func (d *deferInfo) list(stmts []ast.Stmt, loop bool) []ast.Stmt {
	var out []ast.Stmt
	for i, st := range stmts {
		if ds, ok := st.(*ast.DeferStmt); ok && !d.done[ds] {
			d.done[ds] = true
			if cp := d.copyArgs(ds, loop); cp != nil {
				if out == nil {
					out = append(out, stmts[:i]...)
				}
				out = append(out, cp)
			}
		}
		if out != nil {
			out = append(out, st)
		}
	}
	if out == nil {
		return stmts
	}
	return out
}

// copyArgs is the statement that copies ds's arguments, which ds then
// reads, or nil when no argument needs a copy. (Not a block around both:
// at a cell's top level, a block would run in a function of its own.)
func (d *deferInfo) copyArgs(ds *ast.DeferStmt, loop bool) ast.Stmt {
	call := ds.Call
	var lhs, rhs []ast.Expr
	for i, a := range call.Args {
		if !d.needsCopy(a, loop, len(call.Args) == 1) {
			continue
		}
		name := "ᐧd" + strconv.Itoa(d.n)
		d.n++
		lhs = append(lhs, &ast.Ident{NamePos: a.Pos(), Name: name})
		rhs = append(rhs, a)
		call.Args[i] = &ast.Ident{NamePos: a.Pos(), Name: name}
	}
	if len(lhs) == 0 {
		return nil
	}
	return &ast.AssignStmt{Lhs: lhs, TokPos: ds.Pos(), Tok: token.DEFINE, Rhs: rhs}
}

// needsCopy says whether argument a reads a variable or, in a loop, calls
// a function. only: a is the call's only argument.
func (d *deferInfo) needsCopy(a ast.Expr, loop, only bool) bool {
	if c, ok := a.(*ast.CallExpr); ok && only {
		id, ok := c.Fun.(*ast.Ident)
		if !ok || !d.single[id.Name] {
			return false // it may have several values
		}
	}
	return d.readsOrCalls(a, loop)
}

// readsOrCalls says whether e reads a variable or, in a loop, calls a
// function.
func (d *deferInfo) readsOrCalls(e ast.Expr, loop bool) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false // a closure reads its variables when it runs, in Go too
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && d.free[id] && !d.vars[id.Name] {
				return false // a package's member: a constant, a func, a type
			}
			found = found || d.readsOrCalls(x.X, loop) // not the field's name
			return false
		case *ast.CompositeLit:
			for _, el := range x.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					el = kv.Value // not a struct field's name
				}
				found = found || d.readsOrCalls(el, loop)
			}
			return false
		case *ast.CallExpr:
			found = found || loop
		case *ast.Ident:
			found = found || d.isVar(x)
		}
		return !found
	})
	return found
}

func (d *deferInfo) isVar(id *ast.Ident) bool {
	switch id.Name {
	case "_", "nil", "true", "false", "iota":
		return false
	}
	if d.consts[id.Name] || d.single[id.Name] {
		return false
	}
	if d.free[id] {
		return d.vars[id.Name]
	}
	return true
}
