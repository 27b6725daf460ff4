package install

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// sharedTempDir returns a temporary directory every user can enter, as
// /usr/local is: t.TempDir makes its directories 0700.
func sharedTempDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for p := d; p != os.TempDir() && p != filepath.Dir(p); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := checkAncestors(filepath.Join(d, "x"), "use the test's directory", ""); err != nil {
		t.Fatalf("the temporary directory is out of others' reach, so this test cannot run here: %v", err)
	}
	return d
}

// fakeBinary writes an executable file named gradlab in dir.
func fakeBinary(t *testing.T, dir string, mode os.FileMode) string {
	t.Helper()
	bin := filepath.Join(dir, "gradlab")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(bin, mode); err != nil {
		t.Fatal(err)
	}
	return bin
}

func mode(t *testing.T, p string) os.FileMode {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// withUmask sets the process's umask for the test (no test here runs in
// parallel: the umask is process-wide).
func withUmask(t *testing.T, m int) {
	old := syscall.Umask(m)
	t.Cleanup(func() { syscall.Umask(old) })
}

func TestSharedInstallIsReadableByAllUnderUmask077(t *testing.T) {
	root := sharedTempDir(t)
	bin := fakeBinary(t, root, 0o755)
	prefix := filepath.Join(root, "prefix") // Install creates it
	withUmask(t, 0o077)
	dir, err := Install(Options{Prefix: prefix, Binary: bin})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{prefix, filepath.Join(prefix, "share"), filepath.Join(prefix, "share", "jupyter"), filepath.Dir(dir), dir} {
		if m := mode(t, d); m != 0o755 {
			t.Errorf("%s is %v, want 0755", d, m)
		}
	}
	for _, f := range []string{"kernel.json", "logo-32x32.png", "logo-64x64.png"} {
		if m := mode(t, filepath.Join(dir, f)); m != 0o644 {
			t.Errorf("%s is %v, want 0644", f, m)
		}
	}
}

func TestUserInstallFilesAreReadableUnderUmask077(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	withUmask(t, 0o077)
	dir, err := Install(Options{Binary: "/opt/gradlab/bin/gradlab"})
	if err != nil {
		t.Fatal(err)
	}
	if m := mode(t, dir); m != 0o755 {
		t.Errorf("%s is %v, want 0755", dir, m)
	}
	if m := mode(t, filepath.Join(dir, "kernel.json")); m != 0o644 {
		t.Errorf("kernel.json is %v, want 0644", m)
	}
}

func TestSharedInstallRefusesBinaryInPrivateDirectory(t *testing.T) {
	root := sharedTempDir(t)
	private := filepath.Join(root, "home")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(private, 0o700)
	bin := fakeBinary(t, private, 0o755)
	prefix := filepath.Join(root, "prefix")
	_, err := Install(Options{Prefix: prefix, Binary: bin})
	var ae *AccessError
	if !errors.As(err, &ae) {
		t.Fatalf("Install = %v, want an *AccessError", err)
	}
	if ae.Path != private {
		t.Errorf("blocking path = %s, want %s", ae.Path, private)
	}
	for _, want := range []string{private, bin, "install -m 0755 " + bin + " /usr/local/bin/", "PermissionError"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := os.Stat(prefix); !os.IsNotExist(err) {
		t.Errorf("a refused install wrote into the prefix: %v", err)
	}
}

func TestSharedInstallRefusesBinaryOthersCannotExecute(t *testing.T) {
	root := sharedTempDir(t)
	bin := fakeBinary(t, root, 0o700)
	_, err := Install(Options{Prefix: filepath.Join(root, "prefix"), Binary: bin})
	var ae *AccessError
	if !errors.As(err, &ae) || ae.Path != bin {
		t.Fatalf("Install = %v, want an *AccessError naming %s", err, bin)
	}
	if !strings.Contains(err.Error(), "chmod 0755 "+bin) {
		t.Errorf("error %q does not say to chmod the binary", err)
	}
}

func TestSharedInstallRefusesPrivatePrefix(t *testing.T) {
	root := sharedTempDir(t)
	bin := fakeBinary(t, root, 0o755)
	prefix := filepath.Join(root, "prefix")
	share := filepath.Join(prefix, "share")
	if err := os.MkdirAll(share, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(share, 0o700)
	_, err := Install(Options{Prefix: prefix, Binary: bin})
	var ae *AccessError
	if !errors.As(err, &ae) || ae.Path != share {
		t.Fatalf("Install = %v, want an *AccessError naming %s", err, share)
	}
}

func TestUserInstallWarnsOnlyOfBinaryInPrivateDirectory(t *testing.T) {
	root := sharedTempDir(t)
	private := filepath.Join(root, "home")
	os.Mkdir(private, 0o700)
	os.Chmod(private, 0o700)
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	var warn bytes.Buffer
	if _, err := Install(Options{Binary: fakeBinary(t, private, 0o755), Warn: &warn}); err != nil {
		t.Fatalf("a per-user install failed: %v", err)
	}
	if !strings.Contains(warn.String(), "warning: other users cannot run") || !strings.Contains(warn.String(), private) {
		t.Errorf("warning = %q, want one naming %s", warn.String(), private)
	}
	warn.Reset()
	if _, err := Install(Options{Binary: fakeBinary(t, root, 0o755), Warn: &warn}); err != nil {
		t.Fatal(err)
	}
	if warn.Len() != 0 {
		t.Errorf("warned of a binary everyone can run: %q", warn.String())
	}
	if _, err := Install(Options{Binary: filepath.Join(root, "missing", "gradlab"), Warn: &warn}); err != nil {
		t.Fatal(err)
	}
	if warn.Len() != 0 {
		t.Errorf("warned of a binary that is not there yet, as if out of reach: %q", warn.String())
	}
}
