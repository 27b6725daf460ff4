package interp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/gradlab/gradlab/interp/internal/engine"
	"github.com/gradlab/gradlab/interp/internal/nativecell"
	yinterp "github.com/traefik/yaegi/interp"
)

// compileNative runs a %%compile cell: its declarations are compiled with
// the Go toolchain as a plugin (package nativecell), handed to the
// interpreters as a native package, and given to later cells under their
// own names by an interpreted cell of bindings (types as aliases, funcs and
// values as variables), which the session records as it records any cell.
// Where no toolchain can build plugins, the cell runs interpreted, with a
// note on stderr.
func (s *Session) compileNative(ctx context.Context, src string, count int) Result {
	u, err := nativecell.Compile(ctx, src, fmt.Sprintf("cell[%d]", count))
	if errors.Is(err, nativecell.ErrUnavailable) {
		fmt.Fprintf(os.Stderr, "%%%%compile: %v; the cell runs interpreted\n", err)
		return Result{Err: s.runGo(ctx, src, count)}
	}
	if err != nil {
		if ctx.Err() != nil {
			return Result{Err: interrupted()}
		}
		return Result{Err: compileErr(err.Error())}
	}
	name := u.Path[strings.LastIndexByte(u.Path, '/')+1:]
	s.eng.UseNative(u.Exports)
	if err := useNative(s.in, u.Exports); err != nil {
		return Result{Err: &Error{Name: "InternalError", Value: err.Error()}}
	}
	s.trial.drop() // rebuilt with the new package (engine.Interp uses it)
	s.compiled.Store(u.Path, name)
	if len(u.Skipped) > 0 {
		var names []string
		for n, why := range u.Skipped {
			names = append(names, n+": "+why)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "%%%%compile: not given to later cells: %s\n", strings.Join(names, "; "))
	}
	return Result{Err: s.runGo(ctx, u.Bindings("ᐧ"+name), count)}
}

// useNative is in.Use(x), with engine.PanicSite kept off the tables it
// changes.
func useNative(in *yinterp.Interpreter, x yinterp.Exports) error {
	defer engine.Changing()()
	return in.Use(x)
}
