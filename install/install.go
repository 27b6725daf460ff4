// Package install registers gradlab with Jupyter: it writes the kernelspec
// (kernel.json and the logos) into a Jupyter data directory, the way
// `python -m ipykernel install` does for Python.
//
// A shared install (--prefix, --sys-prefix) serves every user of the
// machine, e.g. a course's JupyterHub, whose kernels run as the students.
// So it writes the spec world-readable whatever the umask, and refuses to
// point the spec at a binary other users cannot run (a `go install` as
// root leaves it in /root/go/bin): otherwise every student's kernel would
// fail to start with a PermissionError that says nothing of the cause.
package install

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	// Warn receives warnings, e.g. that other users could not run the
	// binary of a per-user install; nil discards them.
	Warn io.Writer
}

// shared says whether the spec serves every user rather than only the
// one installing it.
func (o Options) shared() bool { return o.Prefix != "" || o.SysPrefix }

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
// existing gradlab spec there is replaced. The spec directory is written
// 0755 and its files 0644 whatever the umask. For a shared install, the
// directories it creates above the spec are 0755 too, and it fails with an
// *AccessError, before writing anything, when other users could not run
// the binary or read the spec; a per-user install only warns that the
// binary is out of other users' reach.
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
	if opts.shared() {
		if err := CheckBinary(bin); err != nil {
			return "", err
		}
		if err := checkSpecParents(kernels); err != nil {
			return "", err
		}
	} else if opts.Warn != nil {
		// Only a binary others cannot reach is worth a warning here; a
		// missing one was the caller's choice (tests, packaging).
		var ae *AccessError
		if err := CheckBinary(bin); errors.As(err, &ae) {
			fmt.Fprintf(opts.Warn, "warning: %v\n(This per-user install works for you; a shared one, --prefix or --sys-prefix, would fail.)\n", err)
		}
	}
	dir := filepath.Join(kernels, KernelName)
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("removing the old kernelspec: %w", err)
	}
	if opts.shared() {
		err = mkdirAllMode(dir, 0o755)
	} else {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	// MkdirAll and WriteFile apply the umask: under umask 077 the spec
	// would be root's alone. Set the modes explicitly.
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", fmt.Errorf("making %s readable by all: %w", dir, err)
	}
	js, err := json.MarshalIndent(NewSpec(bin), "", "  ")
	if err != nil {
		return "", err
	}
	files := map[string][]byte{"kernel.json": append(js, '\n'), "logo-32x32.png": logo32, "logo-64x64.png": logo64}
	for name, b := range files {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, b, 0o644); err != nil {
			return "", fmt.Errorf("writing the kernelspec: %w", err)
		}
		if err := os.Chmod(f, 0o644); err != nil {
			return "", fmt.Errorf("making %s readable by all: %w", f, err)
		}
	}
	return dir, nil
}

// AccessError says which path keeps other users from the kernel, and how
// to fix it.
type AccessError struct {
	What string      // what other users cannot do, e.g. "run the gradlab binary /root/go/bin/gradlab"
	Path string      // the path in the way
	Mode fs.FileMode // its mode
	Need string      // the permission others lack there
	Fix  string      // what to do
}

func (e *AccessError) Error() string {
	return fmt.Sprintf("other users cannot %s: %s is %v, without %s for others, so their kernels would fail to start with a PermissionError. %s",
		e.What, e.Path, e.Mode, e.Need, e.Fix)
}

// CheckBinary returns an *AccessError when users other than its owner
// cannot run bin: bin lacks execute permission for others, or a directory
// above it lacks search (execute) permission for others. Permissions
// granted only through groups or ACLs are not counted: the check is that
// every user can run it. It is nil on Windows, whose permissions are not
// modes.
func CheckBinary(bin string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	fix := fmt.Sprintf("Install it where everyone can run it, e.g. `install -m 0755 %s /usr/local/bin/`, and run `/usr/local/bin/gradlab install --prefix /usr/local`.", bin)
	what := "run the gradlab binary " + bin
	if err := checkAncestors(bin, what, fix); err != nil {
		return err
	}
	st, err := os.Stat(bin)
	if err != nil {
		return fmt.Errorf("checking that other users can run the gradlab binary: %w", err)
	}
	if st.Mode().Perm()&0o001 == 0 {
		return &AccessError{What: what, Path: bin, Mode: st.Mode(), Need: "execute permission",
			Fix: fmt.Sprintf("Run `chmod 0755 %s`, or %s", bin, strings.ToLower(fix[:1])+fix[1:])}
	}
	return nil
}

// checkSpecParents checks that others can reach the kernels directory:
// every existing directory on the way needs search permission for others,
// and the kernels directory, if it exists, read permission too (Jupyter
// lists it). Missing directories are fine: Install creates them 0755.
func checkSpecParents(kernels string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	what := "read the kernelspec under " + kernels
	p := kernels
	for {
		if _, err := os.Stat(p); err == nil {
			break
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
	if resolved, err := filepath.EvalSymlinks(p); err == nil {
		p = resolved
	}
	if err := checkAncestors(p, what, ""); err != nil {
		return err
	}
	st, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("checking that other users can read the kernelspec: %w", err)
	}
	need, bits := "search (execute) permission", fs.FileMode(0o001)
	if p == filepath.Clean(kernels) {
		need, bits = "read and search permission", 0o005
	}
	if st.Mode().Perm()&bits != bits {
		return &AccessError{What: what, Path: p, Mode: st.Mode(), Need: need,
			Fix: fmt.Sprintf("Run `chmod 0755 %s`, or choose another --prefix.", p)}
	}
	return nil
}

// checkAncestors checks that others may search every directory above p.
func checkAncestors(p, what, fix string) error {
	var dirs []string
	for d := filepath.Dir(filepath.Clean(p)); ; d = filepath.Dir(d) {
		dirs = append(dirs, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- { // from the root down
		st, err := os.Stat(dirs[i])
		if err != nil {
			return fmt.Errorf("checking that other users can %s: %w", what, err)
		}
		if st.Mode().Perm()&0o001 == 0 {
			f := fix
			if f == "" {
				f = fmt.Sprintf("Run `chmod o+x %s`, or choose another --prefix.", dirs[i])
			}
			return &AccessError{What: what, Path: dirs[i], Mode: st.Mode(), Need: "search (execute) permission", Fix: f}
		}
	}
	return nil
}

// mkdirAllMode is os.MkdirAll giving each directory it creates mode perm
// whatever the umask.
func mkdirAllMode(dir string, perm fs.FileMode) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := mkdirAllMode(parent, perm); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, perm); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // made meanwhile by someone else: theirs to set
		}
		return err
	}
	return os.Chmod(dir, perm)
}
