package rewrite

import (
	"fmt"
	"go/ast"
	"regexp"
	"strings"
)

// The internal-name scheme. Names the session makes for the interpreter
// contain ᐧ (U+1427), which Go accepts in identifiers and no user types:
//
//	Tᐧ3     a fresh name for type T (Internal), when T is redefined
//	ᐧmain   a cell's func main, which yaegi would otherwise run on every cell
//	ᐧmin, ᐧmax, ᐧclear
//	        the bootstrap's versions of the Go 1.21 builtins yaegi lacks
//	ᐧs      the session's natives (Sess), as a package name
//	ᐧn, ᐧi, ᐧx, ᐧok, ᐧv, ᐧr, ᐧa0, ᐧp0...
//	        temporaries of the rewrites
//
// Clean turns all of them back into what the user wrote.

const (
	// Sess is the name under which the bootstrap imports the session's
	// natives, and the rewrites call them (ᐧs.Show, ᐧs.GoPanic...).
	Sess = "ᐧs"
	// Main is the internal name of a cell's func main.
	Main = "ᐧmain"
)

// builtinRenames replaces Go 1.21 builtins yaegi lacks, and print and
// println (yaegi's print through fmt to standard output), by helpers the
// bootstrap defines, unless a cell defined its own.
var builtinRenames = map[string]string{"min": "ᐧmin", "max": "ᐧmax", "clear": "ᐧclear", "print": "ᐧprint", "println": "ᐧprintln"}

// IsBuiltinRenamed tells whether name is a builtin the rewrites replace by
// the bootstrap's version (a cell's own definition of it wins).
func IsBuiltinRenamed(name string) bool { _, ok := builtinRenames[name]; return ok }

// Internal returns the n-th fresh internal name for name.
func Internal(name string, n int) string { return fmt.Sprintf("%sᐧ%d", name, n) }

// IsInternal tells whether name is one the session made.
func IsInternal(name string) bool { return strings.Contains(name, "ᐧ") }

var (
	internalNum  = regexp.MustCompile(`([\p{L}_][\p{L}\p{N}_]*)ᐧ\d+`)
	internalName = func() *strings.Replacer {
		pairs := []string{Sess + ".", "", Main, "main"}
		for b, in := range builtinRenames {
			pairs = append(pairs, in, b)
		}
		for _, g := range genericPkgFuncs {
			pairs = append(pairs, g.in, g.pkg+"."+g.fn)
		}
		return strings.NewReplacer(append(pairs, "ᐧ", "")...)
	}()
)

// Clean turns internal names in s (an error message, a traceback line)
// back into the user's.
func Clean(s string) string {
	if strings.Contains(s, hiddenTagText) {
		// The tags HideUnexportedFields adds show in yaegi's type names.
		s = strings.ReplaceAll(s, " "+hiddenTagText, "")
	}
	if !IsInternal(s) {
		return s
	}
	return internalName.Replace(internalNum.ReplaceAllString(s, "$1"))
}

var intTypeNames = map[string]bool{"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true}

// IsIntType tells whether name is a predeclared integer type.
func IsIntType(name string) bool { return intTypeNames[name] }

// RecvName returns the type name of a method's receiver type expression
// (T for *T, T[K]), "" when it has none.
func RecvName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}
