// Package kerneltest helps tests run gradlab the way users do: it builds
// the gradlab binary once per test process, registers it with Jupyter in a
// private data directory, and finds the Jupyter tools the test needs.
//
// Tests that need Jupyter skip when it is missing, except when
// GRADLAB_INTEGRATION=1 (set by the README's test command), where a
// missing tool fails the test: the full suite never passes by skipping.
package kerneltest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	once     sync.Once
	tmpDir   string
	binary   string
	dataDir  string
	buildErr error
)

// Main runs a package's tests and then removes what Install built; use it
// as the package's TestMain: func TestMain(m *testing.M) { kerneltest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
	os.Exit(code)
}

// Required reports whether integration tools must be present.
func Required() bool { return os.Getenv("GRADLAB_INTEGRATION") == "1" }

// Tool returns the path of an external command, skipping the test (or
// failing it under GRADLAB_INTEGRATION=1) when it is not installed.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if Required() {
			t.Fatalf("%s is not installed; the README's test command installs it", name)
		}
		t.Skipf("%s is not installed (run the README's test command to install it)", name)
	}
	return p
}

// Python returns the Python that has Debian's Jupyter packages, checking
// that it can import the given modules.
func Python(t testing.TB, modules ...string) string {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		py = Tool(t, "python3")
	}
	for _, m := range modules {
		if err := exec.Command(py, "-c", "import "+m).Run(); err != nil {
			if Required() {
				t.Fatalf("%s cannot import %s; the README's test command installs it", py, m)
			}
			t.Skipf("%s cannot import %s", py, m)
		}
	}
	return py
}

// moduleRoot finds the repository root (the directory holding go.mod).
func moduleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Install builds gradlab, installs its kernelspec into a private Jupyter
// data directory, and points JUPYTER_DATA_DIR at it for this process and
// the commands it starts. It returns the binary's path. Packages that use
// it call Main from their TestMain, which removes the build afterwards.
func Install(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		dir, err := os.MkdirTemp("", "gradlab-test-")
		if err != nil {
			buildErr = err
			return
		}
		tmpDir = dir
		binary = filepath.Join(dir, "gradlab")
		dataDir = filepath.Join(dir, "jupyter")
		cmd := exec.Command("go", "build", "-o", binary, ".")
		cmd.Dir = moduleRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{out: string(out), err: err}
			return
		}
		inst := exec.Command(binary, "install")
		inst.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+dataDir)
		if out, err := inst.CombinedOutput(); err != nil {
			buildErr = &buildError{out: string(out), err: err}
		}
	})
	if buildErr != nil {
		t.Fatalf("building and installing gradlab: %v", buildErr)
	}
	os.Setenv("JUPYTER_DATA_DIR", dataDir)
	return binary
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }
