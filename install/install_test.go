package install

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestInstallWritesSpecIntoJupyterDataDir(t *testing.T) {
	data := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", data)
	dir, err := Install(Options{Binary: "/opt/gradlab/bin/gradlab"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(data, "kernels", "gradlab"); dir != want {
		t.Fatalf("installed into %s, want %s", dir, want)
	}
	var spec Spec
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.DisplayName != "Go (gradlab)" || spec.Language != "go" {
		t.Errorf("spec = %+v", spec)
	}
	if len(spec.Argv) != 3 || spec.Argv[0] != "/opt/gradlab/bin/gradlab" || spec.Argv[1] != "kernel" || spec.Argv[2] != "{connection_file}" {
		t.Errorf("argv = %q", spec.Argv)
	}
	for _, logo := range []string{"logo-32x32.png", "logo-64x64.png"} {
		if st, err := os.Stat(filepath.Join(dir, logo)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing: %v", logo, err)
		}
	}
}

func TestReinstallReplacesOldSpec(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	dir, err := Install(Options{Binary: "/old/gradlab"})
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "stale.txt")
	os.WriteFile(stale, []byte("x"), 0o644)
	if _, err := Install(Options{Binary: "/new/gradlab"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("old spec's files survive a reinstall")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "kernel.json"))
	var spec Spec
	json.Unmarshal(b, &spec)
	if spec.Argv[0] != "/new/gradlab" {
		t.Errorf("argv[0] = %s after reinstall", spec.Argv[0])
	}
}

func TestPrefix(t *testing.T) {
	p := sharedTempDir(t)
	dir, err := Install(Options{Prefix: p, Binary: fakeBinary(t, p, 0o755)})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(p, "share", "jupyter", "kernels", "gradlab"); dir != want {
		t.Errorf("dir = %s, want %s", dir, want)
	}
	if _, err := KernelsDir(Options{Prefix: p, SysPrefix: true}); err == nil {
		t.Errorf("--prefix with --sys-prefix accepted")
	}
}
