package engine

import (
	"reflect"
	"strings"

	"github.com/gradlab/gradlab/interp/lib"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/unrestricted"
)

// packages lists every importable package: import path -> package name.
var packages = func() map[string]string {
	m := map[string]string{}
	for _, exp := range []map[string]map[string]reflect.Value{stdlib.Symbols, unrestricted.Symbols, lib.Symbols} {
		for k := range exp {
			i := strings.LastIndexByte(k, '/')
			if i < 0 || strings.HasPrefix(k, "github.com/traefik/yaegi") {
				continue // yaegi's own tables and hooks are not for cells
			}
			m[k[:i]] = k[i+1:]
		}
	}
	for pkg := range lib.Generic { // source packages (engine.go)
		m[pkg] = pkg
	}
	return m
}()

// Packages lists every importable package: import path -> package name.
// The map is shared: callers must not change it.
func Packages() map[string]string { return packages }

// Symbols returns the exported symbols of an importable package.
func Symbols(path string) map[string]reflect.Value {
	name := packages[path]
	key := path + "/" + name
	// stdlib before unrestricted: the session uses only os/exec of the
	// unrestricted tables, whose os, log and syscall are partial.
	for _, exp := range []map[string]map[string]reflect.Value{lib.Symbols, stdlib.Symbols, unrestricted.Symbols} {
		if m, ok := exp[key]; ok {
			return m
		}
	}
	return nil
}
