package interp

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/traefik/yaegi/extract"
)

// generateArgs returns the arguments of lib.go's go:generate lines, by
// the command they run.
func generateArgs(t *testing.T) map[string][]string {
	f, err := os.Open("lib/lib.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "//go:generate ") {
			continue
		}
		fields := strings.Fields(strings.TrimPrefix(line, "//go:generate "))
		switch {
		case strings.Contains(line, "yaegi extract"):
			out["extract"] = fields[5:] // go run .../yaegi extract -name lib PKGS
			out["extract"] = out["extract"][2:]
		case strings.Contains(line, "gendocs"):
			out["gendocs"] = fields[5:] // go run ./internal/gendocs -o docs_gen.go PKGS
		}
	}
	return out
}

// TestGeneratedTablesFresh fails when interp/lib's symbol tables or doc
// table differ from what `go generate ./interp/lib` would write now.
func TestGeneratedTablesFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	args := generateArgs(t)
	if len(args["extract"]) == 0 || len(args["gendocs"]) == 0 {
		t.Fatalf("cannot read the go:generate lines: %v", args)
	}
	r := strings.NewReplacer("/", "-", ".", "_", "~", "_")
	ext := extract.Extractor{Dest: "lib"}
	for _, pkg := range args["extract"] {
		var buf bytes.Buffer
		path, err := ext.Extract(pkg, "lib", &buf)
		if err != nil {
			t.Fatalf("extract %s: %v", pkg, err)
		}
		file := filepath.Join("lib", r.Replace(path)+".go")
		have, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: %v (run go generate ./interp/lib)", file, err)
			continue
		}
		if !bytes.Equal(have, buf.Bytes()) {
			t.Errorf("%s is stale: run go generate ./interp/lib", file)
		}
	}
	tmp := filepath.Join(t.TempDir(), "docs_gen.go")
	cmd := exec.Command("go", append([]string{"run", "./internal/gendocs", "-o", tmp}, args["gendocs"]...)...)
	cmd.Dir = "lib"
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gendocs: %v\n%s", err, out)
	}
	want, _ := os.ReadFile(tmp)
	have, _ := os.ReadFile("lib/docs_gen.go")
	if !bytes.Equal(want, have) {
		t.Errorf("lib/docs_gen.go is stale: run go generate ./interp/lib")
	}
}
