// Package lib holds the yaegi symbol tables of the packages preloaded in a
// gradlab session (our own packages and the gonum/plot family), generated
// by `yaegi extract`, plus a table of doc comments for inspection.
//
// Regenerate with `go generate ./interp/lib` after changing an exported API;
// TestSymbolsFresh fails when the checked-in tables are stale.
package lib

import "reflect"

//go:generate go run github.com/traefik/yaegi/cmd/yaegi extract -name lib github.com/gradlab/gradlab/display gonum.org/v1/plot gonum.org/v1/plot/plotter gonum.org/v1/plot/vg gonum.org/v1/plot/vg/draw gonum.org/v1/gonum/mat

// Symbols maps "importpath/pkgname" to the package's exported symbols, in
// the form yaegi's Interpreter.Use takes.
var Symbols = map[string]map[string]reflect.Value{}
