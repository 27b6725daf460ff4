// Package install registers gradlab with Jupyter: it writes the kernelspec
// (kernel.json and the logos) into a Jupyter data directory, the way
// `python -m ipykernel install` does for Python.
package install

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

//go:embed logo-32x32.png
var logo32 []byte

//go:embed logo-64x64.png
var logo64 []byte

// KernelName is the name Jupyter knows gradlab by (`--kernel gradlab`).
const KernelName = "gradlab"

// Spec is a kernelspec's kernel.json.
type Spec struct {
	Argv          []string       `json:"argv"`
	DisplayName   string         `json:"display_name"`
	Language      string         `json:"language"`
	InterruptMode string         `json:"interrupt_mode"`
	Env           map[string]any `json:"env,omitempty"`
	Metadata      map[string]any `json:"metadata"`
}

// NewSpec returns the kernelspec that runs binary as the kernel.
func NewSpec(binary string) Spec {
	return Spec{
		Argv:          []string{binary, "kernel", "{connection_file}"},
		DisplayName:   "Go (gradlab)",
		Language:      "go",
		InterruptMode: "signal",
		Metadata:      map[string]any{"debugger": false},
	}
}

// Options say where to install.
type Options struct {
	// Prefix installs into PREFIX/share/jupyter/kernels, like ipykernel's
	// --prefix.
	Prefix string
	// SysPrefix installs into the Python environment Jupyter runs from,
	// like ipykernel's --sys-prefix.
	SysPrefix bool
	// Binary is the gradlab executable the spec runs; empty means this
	// process's executable.
	Binary string
}

// KernelsDir returns the directory that holds kernelspecs for opts:
// PREFIX/share/jupyter/kernels, the Python environment's, or the user's
// Jupyter data directory (JUPYTER_DATA_DIR when set).
func KernelsDir(opts Options) (string, error) {
	switch {
	case opts.Prefix != "" && opts.SysPrefix:
		return "", errors.New("choose one of --prefix and --sys-prefix")
	case opts.Prefix != "":
		p, err := filepath.Abs(opts.Prefix)
		if err != nil {
			return "", err
		}
		return filepath.Join(p, "share", "jupyter", "kernels"), nil
	case opts.SysPrefix:
		p, err := pythonSysPrefix()
		if err != nil {
			return "", err
		}
		return filepath.Join(p, "share", "jupyter", "kernels"), nil
	}
	d, err := UserDataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "kernels"), nil
}

// UserDataDir is Jupyter's per-user data directory, computed as
// jupyter_core does.
func UserDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the Jupyter data directory: %w (set JUPYTER_DATA_DIR)", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		if a := os.Getenv("APPDATA"); a != "" {
			return filepath.Join(a, "jupyter"), nil
		}
		return filepath.Join(home, "AppData", "Roaming", "jupyter"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// pythonSysPrefix asks the Python that runs `jupyter` for its sys.prefix.
func pythonSysPrefix() (string, error) {
	py := "python3"
	if j, err := exec.LookPath("jupyter"); err == nil {
		if b, err := os.ReadFile(j); err == nil && strings.HasPrefix(string(b), "#!") {
			line := strings.SplitN(string(b), "\n", 2)[0]
			if f := strings.Fields(strings.TrimPrefix(line, "#!")); len(f) > 0 && !strings.HasSuffix(f[0], "/env") {
				py = f[0]
			}
		}
	}
	out, err := exec.Command(py, "-c", "import sys; print(sys.prefix)").Output()
	if err != nil {
		return "", fmt.Errorf("--sys-prefix: asking %s for sys.prefix: %v", py, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Install writes the gradlab kernelspec and returns its directory. An
// existing gradlab spec there is replaced.
func Install(opts Options) (string, error) {
	bin := opts.Binary
	if bin == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("finding the gradlab binary: %w", err)
		}
		bin = exe
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(bin); err == nil {
		bin = resolved
	}
	kernels, err := KernelsDir(opts)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(kernels, KernelName)
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("removing the old kernelspec: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	js, err := json.MarshalIndent(NewSpec(bin), "", "  ")
	if err != nil {
		return "", err
	}
	files := map[string][]byte{"kernel.json": append(js, '\n'), "logo-32x32.png": logo32, "logo-64x64.png": logo64}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return "", fmt.Errorf("writing the kernelspec: %w", err)
		}
	}
	return dir, nil
}
