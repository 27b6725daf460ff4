// Package nativecell compiles a cell's self-contained declarations with the
// Go toolchain, as a plugin, and hands them to yaegi the way the preloaded
// packages are handed to it: a table of reflect.Values under an import path
// of their own. This is the mechanism behind `%%compile`: a hot loop written
// in such a cell runs as compiled Go, and later interpreted cells call it
// like any native function.
//
// # Design
//
// Compile parses the cell (imports and declarations only), writes it as the
// package main of a throw-away module under the user cache directory, adds a
// generated file with one exported variable, GradlabSymbols, that maps each
// top-level name to its reflect.Value (a function's value, a pointer to a
// variable, a nil pointer of a type: the form `yaegi extract` writes), runs
// `go build -buildmode=plugin`, opens the result with plugin.Open and reads
// the table. The caller passes Unit.Exports to Interpreter.Use and imports
// Unit.Path under a name of its choosing; names need not be exported (yaegi
// looks a native package's symbols up by name). Builds are cached by the
// source's hash: the same cell compiled again opens the same plugin.
//
// # Limits
//
//   - The cell must be self-contained: it may use the standard library and
//     its own declarations, not names other cells defined (interpreted code
//     cannot be linked into a compiled program). A cell that does gets the
//     compiler's "undefined" error with its cell position.
//   - Packages other than the standard library are not available to compiled
//     cells: a plugin may share a non-standard package with the kernel only
//     when both were built from identical sources with identical flags, which
//     a kernel installed as a binary cannot promise.
//   - Generic functions and types compile but are not handed to the
//     interpreter (a table holds values, not instantiations); neither are
//     methods on their own (they travel with their type) nor init.
//   - Interpreted types cannot implement an interface the compiled cell
//     declares (yaegi needs a generated wrapper type for that).
//   - A plugin cannot be unloaded: compiling a changed cell loads a new one
//     (a few MB each), and the old one stays in memory until the kernel
//     restarts.
//   - The build needs the go command of exactly the Go version the kernel
//     was built with, and a kernel built with cgo (plugin.Open needs the
//     dynamic loader); Available says which is missing. The first build
//     compiles the standard library for dynamic linking (a minute on a busy
//     machine), later builds take a few seconds.
//   - A running compiled function cannot be interrupted: an interrupt takes
//     effect when it returns to interpreted code.
package nativecell

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"plugin"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Unit is one compiled cell.
type Unit struct {
	Path    string                              // import path of its package, for Interpreter.Use and import
	Exports map[string]map[string]reflect.Value // for Interpreter.Use: Path + "/" + package name -> symbols
	Names   []string                            // the top-level names handed to the interpreter, in source order
	Skipped map[string]string                   // top-level names not handed over: why
	Kinds   map[string]string                   // name -> "func", "type", "var" or "const"
	Imports map[string]string                   // local package name -> import path, as the cell wrote them
}

// symbolsVar is the generated table's name in the plugin.
const symbolsVar = "GradlabSymbols"

var (
	mu    sync.Mutex
	units = map[string]*Unit{} // source hash -> unit, for the life of the process
)

// ErrUnavailable is what Available's and Compile's errors wrap when this
// machine cannot compile cells: the caller runs the cell interpreted.
var ErrUnavailable = errors.New("cells cannot be compiled here")

// Available reports why cells cannot be compiled here, or nil when they
// can: the go command must exist and be the Go version this program was
// built with, and the program must have been built with cgo. Its errors
// wrap ErrUnavailable.
func Available() error {
	availOnce.Do(func() {
		if err := available(); err != nil {
			availErr = fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
	})
	return availErr
}

var (
	availOnce sync.Once
	availErr  error
)

func available() error {
	if !cgoBuilt() {
		return errors.New("this kernel was built without cgo, so it cannot load plugins (build it with CGO_ENABLED=1)")
	}
	gobin, err := goCommand()
	if err != nil {
		return err
	}
	out, err := exec.Command(gobin, "env", "GOVERSION", "CGO_ENABLED").Output()
	if err != nil {
		return fmt.Errorf("cannot run %s env: %v", gobin, err)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		return fmt.Errorf("unexpected output of %s env: %q", gobin, out)
	}
	if f[0] != runtime.Version() {
		return fmt.Errorf("the go command is %s but this kernel was built with %s: a plugin must be built by the same version", f[0], runtime.Version())
	}
	if f[1] != "1" {
		return fmt.Errorf("the go command has cgo disabled (CGO_ENABLED=%s); plugins need cgo and a C compiler", f[1])
	}
	return nil
}

// cgoBuilt says whether this program was built with cgo, which
// plugin.Open needs.
func cgoBuilt() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "CGO_ENABLED" {
			return s.Value == "1"
		}
	}
	return false
}

// goCommand finds the go command: the one of the GOROOT this program was
// built from first (its version matches), then PATH.
func goCommand() (string, error) {
	if root := runtime.GOROOT(); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("no go command found (install Go " + runtime.Version() + " to compile cells)")
	}
	return p, nil
}

// Compile builds the cell src (imports and declarations; a `package main`
// clause is allowed) as a plugin and loads it. name is the cell's name for
// positions, e.g. "cell[3]". Cancelling ctx stops the build.
func Compile(ctx context.Context, src, name string) (*Unit, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	body, hasPkg := src, strings.HasPrefix(strings.TrimSpace(stripComments(src)), "package ")
	if !hasPkg {
		body = "package main\n//line " + name + ":1:1\n" + src
	}
	f, err := parser.ParseFile(fset, name, body, parser.ParseComments)
	if err != nil {
		if !hasPkg {
			return nil, fmt.Errorf("%%%%compile takes imports and declarations only (func, type, var, const): %v", err)
		}
		return nil, err
	}
	if f.Name.Name != "main" {
		return nil, fmt.Errorf("%s: a compiled cell is package main (it has package %s)", fset.Position(f.Name.Pos()), f.Name.Name)
	}
	u := &Unit{Skipped: map[string]string{}, Kinds: map[string]string{}, Imports: map[string]string{}}
	var table strings.Builder
	for _, imp := range f.Imports {
		path := strings.Trim(imp.Path.Value, "\"`")
		if !isStd(path) {
			return nil, fmt.Errorf("%s: a compiled cell can import the standard library only, not %q (a plugin shares other packages with the kernel only when both were built from identical sources)", fset.Position(imp.Pos()), path)
		}
		local := path[strings.LastIndexByte(path, '/')+1:]
		if imp.Name != nil {
			local = imp.Name.Name
		}
		u.Imports[local] = path
	}
	add := func(n *ast.Ident, kind, expr string) {
		if n.Name == "_" {
			return
		}
		u.Names = append(u.Names, n.Name)
		u.Kinds[n.Name] = kind
		fmt.Fprintf(&table, "\t%q: %s,\n", n.Name, expr)
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			switch {
			case d.Recv != nil:
				// A method travels with its type.
			case d.Name.Name == "init" || d.Name.Name == "main":
				u.Skipped[d.Name.Name] = "runs when the plugin loads, cannot be called"
			case d.Type.TypeParams != nil:
				u.Skipped[d.Name.Name] = "generic: a compiled cell hands over no generic functions (write a concrete one)"
			default:
				add(d.Name, "func", "reflect.ValueOf("+d.Name.Name+")")
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					if sp.TypeParams != nil {
						u.Skipped[sp.Name.Name] = "generic: a compiled cell hands over no generic types"
						continue
					}
					add(sp.Name, "type", fmt.Sprintf("reflect.ValueOf((*%s)(nil))", sp.Name.Name))
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						if d.Tok == token.CONST {
							add(n, "const", fmt.Sprintf("reflect.ValueOf(%s)", n.Name))
						} else {
							add(n, "var", fmt.Sprintf("reflect.ValueOf(&%s).Elem()", n.Name))
						}
					}
				}
			}
		}
	}
	if len(u.Names) == 0 {
		return nil, errors.New("the compiled cell declares nothing the interpreter could use (funcs, types, vars or consts)")
	}
	gen := "package main\n\nimport \"reflect\"\n\nvar " + symbolsVar + " = map[string]reflect.Value{\n" + table.String() + "}\n"
	src = body // with the //line directive, so the compiler's messages name the cell's lines
	if !hasMain(f) {
		gen += "\nfunc main() {}\n"
	}

	h := sha256.Sum256([]byte(runtime.Version() + "\x00" + src))
	key := hex.EncodeToString(h[:10])
	mu.Lock()
	defer mu.Unlock()
	if cached, ok := units[key]; ok {
		return cached, nil
	}
	u.Path = "gradlab.cell/c" + key
	so, err := build(ctx, key, u.Path, src, gen)
	if err != nil {
		return nil, err
	}
	p, err := plugin.Open(so)
	if err != nil {
		return nil, fmt.Errorf("loading the compiled cell: %v", err)
	}
	sym, err := p.Lookup(symbolsVar)
	if err != nil {
		return nil, fmt.Errorf("loading the compiled cell: %v", err)
	}
	table2, ok := sym.(*map[string]reflect.Value)
	if !ok {
		return nil, fmt.Errorf("loading the compiled cell: %s has type %T", symbolsVar, sym)
	}
	pkgName := "c" + key
	u.Exports = map[string]map[string]reflect.Value{u.Path + "/" + pkgName: *table2}
	units[key] = u
	return u, nil
}

// Bindings returns the interpreted source that gives the unit's names to
// cells, given the name the unit's package is imported as: a func or var
// becomes a variable holding the compiled one (a compiled variable is
// copied: compiled code goes on using its own), a type an alias (methods
// cannot be added to it in a cell), a const a variable of its value.
func (u *Unit) Bindings(alias string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "import %s %q\n", alias, u.Path)
	for _, n := range u.Names {
		if u.Kinds[n] == "type" {
			fmt.Fprintf(&b, "type %s = %s.%s\n", n, alias, n)
		} else {
			fmt.Fprintf(&b, "var %s = %s.%s\n", n, alias, n)
		}
	}
	return b.String()
}

// build writes the module and runs go build -buildmode=plugin in it,
// returning the plugin's path.
func build(ctx context.Context, key, modPath, src, gen string) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "gradlab", "nativecell", key)
	so := filepath.Join(dir, "cell.so")
	if _, err := os.Stat(so); err == nil {
		return so, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	goVer := strings.TrimPrefix(runtime.Version(), "go")
	if i := strings.IndexAny(goVer, " -"); i >= 0 {
		goVer = goVer[:i]
	}
	files := map[string]string{
		"go.mod":        "module " + modPath + "\n\ngo " + goVer + "\n",
		"cell.go":       src,
		"zz_symbols.go": gen,
	}
	for n, s := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			return "", err
		}
	}
	gobin, _ := goCommand()
	args := append([]string{"build", "-buildmode=plugin"}, hostFlags()...)
	args = append(args, "-o", "cell.so.tmp", ".")
	cmd := exec.CommandContext(ctx, gobin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOFLAGS=-mod=mod", "GOWORK=off", "GO111MODULE=on")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return "", fmt.Errorf("%s", cleanBuildOutput(string(out), dir))
	}
	if err := os.Rename(filepath.Join(dir, "cell.so.tmp"), so); err != nil {
		return "", err
	}
	return so, nil
}

// hostFlags returns the build flags of this program that a plugin must
// share with it for its packages to match.
func hostFlags() []string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	var out []string
	for _, s := range bi.Settings {
		switch s.Key {
		case "-trimpath", "-race", "-msan", "-asan":
			if s.Value == "true" {
				out = append(out, s.Key)
			}
		case "-tags":
			out = append(out, "-tags="+s.Value)
		}
	}
	return out
}

// cleanBuildOutput keeps the compiler's messages, whose positions already
// name the cell through the //line directive, and adds what to do about an
// undefined name.
func cleanBuildOutput(out, dir string) string {
	var lines []string
	undefined := false
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(l, "# ") {
			continue
		}
		l = strings.ReplaceAll(l, dir+string(filepath.Separator), "")
		l = strings.TrimPrefix(l, "./")
		if strings.Contains(l, "undefined:") {
			undefined = true
		}
		lines = append(lines, l)
	}
	if undefined {
		lines = append(lines, "(a compiled cell sees only its own declarations and the standard library, not names other cells defined)")
	}
	return strings.Join(lines, "\n")
}

func hasMain(f *ast.File) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			return true
		}
	}
	return false
}

// isStd says whether path names a standard library package: its first
// element has no dot.
func isStd(path string) bool {
	first := path
	if i := strings.IndexByte(path, '/'); i >= 0 {
		first = path[:i]
	}
	return !strings.Contains(first, ".") && path != "C"
}

// stripComments drops leading // and /* */ comments, to see whether the
// source starts with a package clause.
func stripComments(s string) string {
	for {
		s = strings.TrimSpace(s)
		switch {
		case strings.HasPrefix(s, "//"):
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = s[i+1:]
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s, "*/")
			if i < 0 {
				return ""
			}
			s = s[i+2:]
		default:
			return s
		}
	}
}
