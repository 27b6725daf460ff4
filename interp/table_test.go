package interp

import (
	"go/token"
	"testing"

	"github.com/gradlab/gradlab/interp/internal/cellsrc"
)

// The table's unit tests: what a name means, when a cell needs the trial
// interpreter, and what a plan's commit leaves behind. They build plans by
// hand, with no interpreter, and run in parallel.

func TestTableLookupFollowsGoScopeOrder(t *testing.T) {
	t.Parallel()
	tab := newTable()
	tab.imports["strings"] = "example.com/strings"
	tab.ents["fmt"] = &entity{name: "fmt", kind: entVar}
	for _, c := range []struct {
		name string
		want func(ref) bool
		what string
	}{
		{"fmt", func(r ref) bool { return r.ent != nil && r.pkg == "" }, "a cell's variable shadows the auto-imported package"},
		{"strings", func(r ref) bool { return r.pkg == "example.com/strings" && !r.auto }, "an import beats the auto-import of the same name"},
		{"math", func(r ref) bool { return r.pkg == "math" && r.auto }, "an auto-import when nothing else defines it"},
		{"len", func(r ref) bool { return r.builtin && r.defined() }, "a predeclared name"},
		{"nosuch", func(r ref) bool { return !r.defined() }, "an unknown name is undefined"},
	} {
		if r := tab.lookup(c.name); !c.want(r) {
			t.Errorf("lookup(%q) = %+v: want %s", c.name, r, c.what)
		}
	}
}

func TestTableFreshNameSkipsNamesTheInterpreterSaw(t *testing.T) {
	t.Parallel()
	tab := newTable()
	first := tab.freshName("Point")
	tab.sent[first] = true
	tab.fresh = 0 // as if numbering restarted: the sent name must still be skipped
	if second := tab.freshName("Point"); second == first {
		t.Errorf("freshName gave %q twice", first)
	}
}

func TestTableNeedsTrial(t *testing.T) {
	t.Parallel()
	tab := newTable()
	tab.ents["Point"] = &entity{name: "Point", kind: entType, methods: map[string]*entity{}}
	method := &entity{name: "Norm", kind: entMethod, recv: "Point"}
	for _, c := range []struct {
		what string
		pl   *plan
		want bool
	}{
		{"a new variable", &plan{commit: map[string]*entity{"x": {name: "x", kind: entVar}}}, false},
		{"plain statements", &plan{}, false},
		{"a redefined type", &plan{commit: map[string]*entity{"Point": {name: "Point", kind: entType}}}, true},
		{"a method on an earlier cell's type", &plan{methods: []*entity{method}}, true},
		{"a method next to its new type", &plan{commit: map[string]*entity{"Vec": {name: "Vec", kind: entType}}, methods: []*entity{{name: "Len", kind: entMethod, recv: "Vec"}}}, false},
		{"a dependant re-emitted", &plan{reemit: []*entity{tab.ents["Point"]}}, true},
		{"a variable named like a builtin", &plan{commit: map[string]*entity{"len": {name: "len", kind: entVar}}}, true},
		{"a variable named like a package", &plan{commit: map[string]*entity{"fmt": {name: "fmt", kind: entVar}}}, true},
	} {
		if got := tab.needsTrial(c.pl); got != c.want {
			t.Errorf("%s: needsTrial = %v, want %v", c.what, got, c.want)
		}
	}
}

func TestTableCommitKeepsMethodsAndRemovesDropped(t *testing.T) {
	t.Parallel()
	tab := newTable()
	old := &entity{name: "Point", kind: entType, internal: "Point", methods: map[string]*entity{}}
	norm := &entity{name: "Norm", kind: entMethod, recv: "Point", cell: 2}
	old.methods["Norm"] = norm
	user := &entity{name: "area", kind: entFunc, cell: 3}
	tab.ents["Point"], tab.ents["area"] = old, user

	redefined := &entity{name: "Point", kind: entType, internal: "Pointᐧ1", cell: 4}
	tab.commit(&plan{
		count:   4,
		commit:  map[string]*entity{"Point": redefined},
		dropped: []*entity{user},
		why:     map[*entity]string{user: "undefined: X"},
		imports: [][2]string{{"m", "math"}},
	})
	if tab.ents["Point"] != redefined || redefined.methods["Norm"] != norm {
		t.Errorf("the redefined type lost its methods: %+v", tab.ents["Point"])
	}
	if !tab.sent["Pointᐧ1"] || !tab.sent["Point"] {
		t.Errorf("type names handed to the interpreter are not remembered: %v", tab.sent)
	}
	if tab.ents["area"] != nil || tab.removed["area"] == "" {
		t.Errorf("the dropped func is still defined (%v) or its removal unexplained (%q)", tab.ents["area"], tab.removed["area"])
	}
	if tab.imports["m"] != "math" {
		t.Errorf("the plan's import was not recorded: %v", tab.imports)
	}

	// Defining the dropped name again clears the note of its removal.
	tab.commit(&plan{count: 5, commit: map[string]*entity{"area": {name: "area", kind: entFunc, cell: 5}}})
	if _, ok := tab.removed["area"]; ok {
		t.Errorf("a redefined name still carries its removal note %q", tab.removed["area"])
	}
}

func TestTableCompiledBeforeTracksWhatTheCellUsed(t *testing.T) {
	t.Parallel()
	tab := newTable()
	helper := &entity{name: "helper", kind: entFunc}
	tab.ents["helper"] = helper
	a := &cellsrc.Analysis{Free: map[string]token.Pos{"helper": 1}}
	src := "y := helper(1)"
	pl := &plan{commit: map[string]*entity{"y": {name: "y", kind: entVar}}}
	tab.commit(pl)
	tab.rememberCompiled(src, a, pl)

	if !tab.compiledBefore(src, pl) {
		t.Fatal("the same source against the same definitions: compiledBefore = false")
	}
	if tab.compiledBefore("y := helper(2)", pl) {
		t.Error("other source: compiledBefore = true")
	}
	tab.ents["helper"] = &entity{name: "helper", kind: entFunc} // redefined by a later cell
	if tab.compiledBefore(src, pl) {
		t.Error("a free name now means another entity: compiledBefore = true")
	}
	tab.ents["helper"] = helper
	tab.gen++ // a definition changed in place
	if tab.compiledBefore(src, pl) {
		t.Error("after a change in place (gen moved on): compiledBefore = true")
	}
}
