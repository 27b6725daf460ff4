package rewrite

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// hiddenTagText is a hidden field's tag as reflect prints it in a type's
// name (Clean removes it from messages).
const hiddenTagText = `"json:\"-\" xml:\"-\""`

// privateKeys are the struct tag keys of the encoders that skip unexported
// fields in compiled Go.
var privateKeys = []string{"json", "xml"}

// HideUnexportedFields tags each unexported field of the struct types in
// n `json:"-" xml:"-"`, replacing any json or xml key it had. yaegi builds
// an interpreted struct with reflect.StructOf, which cannot make unexported
// fields, so it exports them under an X prefix (apiKey becomes XapiKey), and
// encoding/json then wrote them out: a secret kept in an unexported field
// leaked into the JSON. Compiled Go never encodes unexported fields; the
// tag keeps it so. Embedded fields are left alone (their promoted fields
// are the embedded type's own). Structs with fields of a package's type
// (time.Time, *ag.Tensor, *nn.Linear) are tagged too: their methods, their
// use as an nn.Module and their redefinition work tagged
// (TestCellModulesWithNN, TestIssue15More).
//
//	before: type Cfg struct{ Name string; apiKey string `yaml:"k"` }
//	after:  type Cfg struct{ Name string; apiKey string `yaml:"k" json:"-" xml:"-"` }
func HideUnexportedFields(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		st, ok := n.(*ast.StructType)
		if !ok || st.Fields == nil {
			return true
		}
		for _, fl := range st.Fields.List {
			if len(fl.Names) == 0 || !allUnexported(fl.Names) {
				continue
			}
			// A list mixing exported and unexported names (a, B int) shares
			// one tag: it is left alone.
			old := ""
			if fl.Tag != nil {
				if s, err := strconv.Unquote(fl.Tag.Value); err == nil {
					old = s
				}
			}
			pos := fl.Type.End()
			if fl.Tag != nil {
				pos = fl.Tag.Pos()
			}
			tag := hiddenTag(old)
			lit := "`" + tag + "`"
			if strings.Contains(tag, "`") {
				lit = strconv.Quote(tag)
			}
			fl.Tag = &ast.BasicLit{ValuePos: pos, Kind: token.STRING, Value: lit}
		}
		return true
	})
}

func allUnexported(names []*ast.Ident) bool {
	for _, n := range names {
		if ast.IsExported(n.Name) || n.Name == "_" {
			return false
		}
	}
	return true
}

// hiddenTag returns tag without its privateKeys, then with each of them
// set to "-".
func hiddenTag(tag string) string {
	var parts []string
	for _, kv := range tagPairs(tag) {
		drop := false
		for _, k := range privateKeys {
			drop = drop || kv[0] == k
		}
		if !drop {
			parts = append(parts, kv[0]+":"+kv[1])
		}
	}
	for _, k := range privateKeys {
		parts = append(parts, k+`:"-"`)
	}
	return strings.Join(parts, " ")
}

// tagPairs splits a struct tag in the conventional format into key and
// quoted value pairs, as reflect.StructTag.Lookup reads it; it stops at
// the first malformed pair.
func tagPairs(tag string) [][2]string {
	var out [][2]string
	for tag != "" {
		i := 0
		for i < len(tag) && tag[i] == ' ' {
			i++
		}
		tag = tag[i:]
		if tag == "" {
			break
		}
		i = 0
		for i < len(tag) && tag[i] > ' ' && tag[i] != ':' && tag[i] != '"' && tag[i] != 0x7f {
			i++
		}
		if i == 0 || i+1 >= len(tag) || tag[i] != ':' || tag[i+1] != '"' {
			break
		}
		key := tag[:i]
		tag = tag[i+1:]
		i = 1
		for i < len(tag) && tag[i] != '"' {
			if tag[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(tag) {
			break
		}
		out = append(out, [2]string{key, tag[:i+1]})
		tag = tag[i+1:]
	}
	return out
}
