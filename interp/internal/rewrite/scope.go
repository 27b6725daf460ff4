package rewrite

import (
	"go/ast"
	"go/token"
)

// PackageRefs calls fn for every identifier of f that refers to a
// package-level name: one f declares at its top level (the declaring
// identifiers included), or one f does not declare at all (free: the
// session's names, packages, builtins). Locals (parameters, variables,
// type parameters, the bound name of a type switch), fields and methods
// after a dot, struct fields, interface methods, labels and the keys of
// composite literals are not references. It keeps its own scopes rather
// than relying on go/ast's deprecated object resolution.
func PackageRefs(f *ast.File, fn func(id *ast.Ident, free bool)) {
	r := &refs{top: map[string]bool{}, fn: fn}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				r.top[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					r.top[sp.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						r.top[n.Name] = true
					}
				}
			}
		}
	}
	for _, d := range f.Decls {
		r.decl(d)
	}
}

type refs struct {
	top    map[string]bool   // names f declares at its top level
	scopes []map[string]bool // local scopes, innermost last
	fn     func(id *ast.Ident, free bool)
}

func (r *refs) push() { r.scopes = append(r.scopes, map[string]bool{}) }
func (r *refs) pop()  { r.scopes = r.scopes[:len(r.scopes)-1] }

// declare binds a local name in the innermost scope.
func (r *refs) declare(id *ast.Ident) {
	if id != nil && id.Name != "_" && len(r.scopes) > 0 {
		r.scopes[len(r.scopes)-1][id.Name] = true
	}
}

// use resolves an identifier in an expression or type.
func (r *refs) use(id *ast.Ident) {
	if id.Name == "_" {
		return
	}
	for i := len(r.scopes) - 1; i >= 0; i-- {
		if r.scopes[i][id.Name] {
			return
		}
	}
	r.fn(id, !r.top[id.Name])
}

func (r *refs) decl(d ast.Decl) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		r.push()
		if d.Recv != nil {
			for _, fl := range d.Recv.List {
				r.recvType(fl.Type)
				for _, n := range fl.Names {
					r.declare(n)
				}
			}
		} else {
			r.fn(d.Name, false)
		}
		r.typeParams(d.Type.TypeParams)
		r.signature(d.Type)
		if d.Body != nil {
			r.stmts(d.Body.List)
		}
		r.pop()
	case *ast.GenDecl:
		r.genDecl(d, true)
	}
}

// recvType reads a receiver's type: T, *T, T[K, V] (K and V are declared
// there, as type parameters).
func (r *refs) recvType(e ast.Expr) {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
			continue
		case *ast.ParenExpr:
			e = t.X
			continue
		case *ast.IndexExpr:
			r.expr(t.X)
			if id, ok := t.Index.(*ast.Ident); ok {
				r.declare(id)
			}
		case *ast.IndexListExpr:
			r.expr(t.X)
			for _, ix := range t.Indices {
				if id, ok := ix.(*ast.Ident); ok {
					r.declare(id)
				}
			}
		default:
			r.expr(e)
		}
		return
	}
}

func (r *refs) typeParams(fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, n := range f.Names {
			r.declare(n)
		}
	}
	for _, f := range fl.List {
		r.expr(f.Type)
	}
}

// signature reads parameter and result types, then declares their names.
func (r *refs) signature(ft *ast.FuncType) {
	for _, fl := range []*ast.FieldList{ft.Params, ft.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			r.expr(f.Type)
		}
	}
	for _, fl := range []*ast.FieldList{ft.Params, ft.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				r.declare(n)
			}
		}
	}
}

// genDecl reads a declaration of types, vars or consts, at the top level
// (its names are package-level references) or in a function (locals, in
// scope after their spec; a type's name inside its own definition).
func (r *refs) genDecl(d *ast.GenDecl, top bool) {
	for _, sp := range d.Specs {
		switch sp := sp.(type) {
		case *ast.TypeSpec:
			if top {
				r.fn(sp.Name, false)
			} else {
				r.declare(sp.Name)
			}
			r.push()
			r.typeParams(sp.TypeParams)
			r.expr(sp.Type)
			r.pop()
		case *ast.ValueSpec:
			r.expr(sp.Type)
			for _, v := range sp.Values {
				r.expr(v)
			}
			for _, n := range sp.Names {
				if top {
					if n.Name != "_" {
						r.fn(n, false)
					}
				} else {
					r.declare(n)
				}
			}
		}
	}
}

func (r *refs) exprs(es []ast.Expr) {
	for _, e := range es {
		r.expr(e)
	}
}

func (r *refs) expr(e ast.Expr) {
	switch x := e.(type) {
	case nil:
	case *ast.Ident:
		r.use(x)
	case *ast.SelectorExpr:
		r.expr(x.X) // x.Sel is a field, method or package member
	case *ast.CompositeLit:
		r.expr(x.Type)
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if _, isIdent := kv.Key.(*ast.Ident); !isIdent { // a bare key may be a field name
					r.expr(kv.Key)
				}
				r.expr(kv.Value)
				continue
			}
			r.expr(el)
		}
	case *ast.FuncLit:
		r.push()
		r.signature(x.Type)
		r.stmts(x.Body.List)
		r.pop()
	case *ast.FuncType:
		r.push() // parameter names of a func type mean nothing outside it
		r.typeParams(x.TypeParams)
		r.signature(x)
		r.pop()
	case *ast.StructType:
		for _, f := range x.Fields.List {
			r.expr(f.Type)
		}
	case *ast.InterfaceType:
		for _, f := range x.Methods.List {
			r.expr(f.Type)
		}
	case *ast.KeyValueExpr:
		r.expr(x.Key)
		r.expr(x.Value)
	case *ast.ParenExpr:
		r.expr(x.X)
	case *ast.StarExpr:
		r.expr(x.X)
	case *ast.UnaryExpr:
		r.expr(x.X)
	case *ast.BinaryExpr:
		r.expr(x.X)
		r.expr(x.Y)
	case *ast.CallExpr:
		r.expr(x.Fun)
		r.exprs(x.Args)
	case *ast.IndexExpr:
		r.expr(x.X)
		r.expr(x.Index)
	case *ast.IndexListExpr:
		r.expr(x.X)
		r.exprs(x.Indices)
	case *ast.SliceExpr:
		r.expr(x.X)
		r.expr(x.Low)
		r.expr(x.High)
		r.expr(x.Max)
	case *ast.TypeAssertExpr:
		r.expr(x.X)
		r.expr(x.Type)
	case *ast.ArrayType:
		r.expr(x.Len)
		r.expr(x.Elt)
	case *ast.MapType:
		r.expr(x.Key)
		r.expr(x.Value)
	case *ast.ChanType:
		r.expr(x.Value)
	case *ast.Ellipsis:
		r.expr(x.Elt)
	}
}

func (r *refs) stmts(list []ast.Stmt) {
	for _, s := range list {
		r.stmt(s)
	}
}

// block reads statements in a scope of their own.
func (r *refs) block(b *ast.BlockStmt) {
	if b == nil {
		return
	}
	r.push()
	r.stmts(b.List)
	r.pop()
}

func (r *refs) stmt(s ast.Stmt) {
	switch x := s.(type) {
	case nil:
	case *ast.BlockStmt:
		r.block(x)
	case *ast.DeclStmt:
		if gd, ok := x.Decl.(*ast.GenDecl); ok {
			r.genDecl(gd, false)
		}
	case *ast.AssignStmt:
		r.exprs(x.Rhs)
		if x.Tok == token.DEFINE {
			for _, l := range x.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					r.declare(id) // new, or redeclared in this same scope: a local either way
				}
			}
		} else {
			r.exprs(x.Lhs)
		}
	case *ast.ExprStmt:
		r.expr(x.X)
	case *ast.SendStmt:
		r.expr(x.Chan)
		r.expr(x.Value)
	case *ast.IncDecStmt:
		r.expr(x.X)
	case *ast.GoStmt:
		r.expr(x.Call)
	case *ast.DeferStmt:
		r.expr(x.Call)
	case *ast.ReturnStmt:
		r.exprs(x.Results)
	case *ast.LabeledStmt:
		r.stmt(x.Stmt)
	case *ast.IfStmt:
		r.push()
		r.stmt(x.Init)
		r.expr(x.Cond)
		r.block(x.Body)
		r.stmt(x.Else)
		r.pop()
	case *ast.ForStmt:
		r.push()
		r.stmt(x.Init)
		r.expr(x.Cond)
		r.stmt(x.Post)
		r.block(x.Body)
		r.pop()
	case *ast.RangeStmt:
		r.expr(x.X)
		r.push()
		if x.Tok == token.DEFINE {
			for _, e := range []ast.Expr{x.Key, x.Value} {
				if id, ok := e.(*ast.Ident); ok {
					r.declare(id)
				}
			}
		} else {
			r.expr(x.Key)
			r.expr(x.Value)
		}
		r.block(x.Body)
		r.pop()
	case *ast.SwitchStmt:
		r.push()
		r.stmt(x.Init)
		r.expr(x.Tag)
		for _, c := range x.Body.List {
			cc := c.(*ast.CaseClause)
			r.exprs(cc.List)
			r.push()
			r.stmts(cc.Body)
			r.pop()
		}
		r.pop()
	case *ast.TypeSwitchStmt:
		r.push()
		r.stmt(x.Init)
		var bound *ast.Ident
		switch a := x.Assign.(type) {
		case *ast.AssignStmt: // v := x.(type)
			r.exprs(a.Rhs)
			if len(a.Lhs) == 1 {
				bound, _ = a.Lhs[0].(*ast.Ident)
			}
		case *ast.ExprStmt:
			r.expr(a.X)
		}
		for _, c := range x.Body.List {
			cc := c.(*ast.CaseClause)
			r.exprs(cc.List)
			r.push()
			r.declare(bound)
			r.stmts(cc.Body)
			r.pop()
		}
		r.pop()
	case *ast.SelectStmt:
		for _, c := range x.Body.List {
			cc := c.(*ast.CommClause)
			r.push()
			r.stmt(cc.Comm)
			r.stmts(cc.Body)
			r.pop()
		}
	}
}
