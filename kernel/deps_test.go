package kernel

import (
	"os/exec"
	"strings"
	"testing"
)

// TestKernelDoesNotLinkTheInterpreter keeps the seam of package doc: the
// protocol package names its own Cell and Result, so it links neither
// the interpreter nor its symbol tables (nor runs their init functions).
func TestKernelDoesNotLinkTheInterpreter(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the dependencies: %v", err)
	}
	for _, pkg := range []string{".", "./notebook"} {
		out, err := exec.Command(goTool, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.Contains(dep, "traefik/yaegi") || strings.HasPrefix(dep, "github.com/gradlab/gradlab/interp") {
				t.Errorf("go list -deps %s includes %s", pkg, dep)
			}
		}
	}
}
