package kernel_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradlab/gradlab/kernel/kerneltest"
)

func TestMain(m *testing.M) { kerneltest.Main(m) }

// TestConformance runs Jupyter's own kernel test suite (Debian's
// python3-jupyter-kernel-test) against the installed kernel, with every
// sample filled in: it must pass with no failure and no skip.
func TestConformance(t *testing.T) {
	py := kerneltest.Python(t, "jupyter_kernel_test")
	kerneltest.Install(t)
	cmd := exec.Command(py, "-m", "unittest", "-v", "conformance")
	cmd.Dir = "testdata"
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("conformance suite failed: %v", err)
	}
	if strings.Contains(string(out), "skipped") {
		t.Fatal("some conformance tests were skipped; every sample must be filled")
	}
}

// TestNbconvertExecutesNotebook runs a notebook through the installed
// kernel with `jupyter nbconvert --execute`, as CI users do.
func TestNbconvertExecutesNotebook(t *testing.T) {
	jupyter := kerneltest.Tool(t, "jupyter")
	kerneltest.Python(t, "nbconvert")
	kerneltest.Install(t)
	dir := t.TempDir()
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "gradlab", "display_name": "Go (gradlab)", "language": "go"}},
		"cells": []any{
			map[string]any{"cell_type": "code", "metadata": map[string]any{}, "outputs": []any{}, "execution_count": nil, "id": "a",
				"source": "x := 20\nfmt.Println(\"x is\", x)"},
			map[string]any{"cell_type": "code", "metadata": map[string]any{}, "outputs": []any{}, "execution_count": nil, "id": "b",
				"source": "x * 2 + 2"},
		},
	}
	b, _ := json.Marshal(nb)
	in := filepath.Join(dir, "in.ipynb")
	os.WriteFile(in, b, 0o644)
	cmd := exec.Command(jupyter, "nbconvert", "--to", "notebook", "--execute", "--output-dir", dir, "--output", "out.ipynb", in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nbconvert: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Cells []struct {
			Outputs []map[string]any `json:"outputs"`
		} `json:"cells"`
	}
	json.Unmarshal(b, &got)
	if len(got.Cells) != 2 || len(got.Cells[0].Outputs) == 0 || len(got.Cells[1].Outputs) == 0 {
		t.Fatalf("outputs missing: %s", b)
	}
	if txt := nbText(got.Cells[0].Outputs[0]["text"]); txt != "x is 20\n" {
		t.Errorf("stream = %q", txt)
	}
	data := got.Cells[1].Outputs[0]["data"].(map[string]any)
	if nbText(data["text/plain"]) != "42" {
		t.Errorf("execute_result = %v", data)
	}
}

// TestConsoleContinuesMultilineLoop drives `jupyter console` in tmux: the
// kernel's is_complete answer makes the console continue an open for loop
// on the next line, and the loop then runs.
func TestConsoleContinuesMultilineLoop(t *testing.T) {
	tmux := kerneltest.Tool(t, "tmux")
	kerneltest.Tool(t, "jupyter-console")
	kerneltest.Install(t)
	session := fmt.Sprintf("gradlab-console-test-%d", os.Getpid()) // concurrent runs must not share it
	startConsole := func() {
		t.Helper()
		exec.Command(tmux, "kill-session", "-t", session).Run()
		start := exec.Command(tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
			"env", "JUPYTER_DATA_DIR="+os.Getenv("JUPYTER_DATA_DIR"), "jupyter", "console", "--kernel", "gradlab")
		if out, err := start.CombinedOutput(); err != nil {
			t.Fatalf("tmux: %v %s", err, out)
		}
	}
	startConsole()
	defer exec.Command(tmux, "kill-session", "-t", session).Run()
	screen := func() string {
		out, _ := exec.Command(tmux, "capture-pane", "-p", "-t", session, "-S", "-100").Output()
		return string(out)
	}
	waitFor := func(what string) {
		t.Helper()
		if !waitUntil(screen, what, 30*time.Second) {
			t.Fatalf("console never showed %q; screen:\n%s", what, screen())
		}
	}
	send := func(keys ...string) {
		exec.Command(tmux, append([]string{"send-keys", "-t", session}, keys...)...).Run()
	}
	waitFor("In [1]")
	// Type each line, wait until the console echoes it (keys typed while
	// prompt_toolkit switches the terminal mode can be flushed, so clear
	// the line and type again until it shows), then press Enter on its
	// own: jupyter console asks the kernel is_complete on Enter and
	// continues an incomplete block. Under load, jupyter_console 6.4's
	// prompt can also die of its own asyncio error ("cannot enter context
	// ... is already entered", then "Press ENTER to continue..."): the
	// input is lost, and the same console may fail again and again, so
	// start a new console and type it all again.
	const clientError = "Press ENTER to continue..."
	line := func(text string) bool {
		t.Helper()
		for try := 0; ; try++ {
			if try > 0 {
				send("C-u")
			}
			send("-l", text)
			if waitUntil(screen, text, 5*time.Second) {
				break
			}
			if strings.Contains(screen(), clientError) || try == 5 {
				return false
			}
		}
		send("Enter")
		return true
	}
	typed := func() bool {
		return line("for i := 0; i < 3; i++ {") &&
			waitUntil(screen, "...:", 30*time.Second) && // continuation prompt: is_complete said incomplete
			line(`fmt.Println("loop", i*7)`) &&
			line("}") &&
			waitUntil(screen, "loop 14", 30*time.Second)
	}
	for attempt := 1; !typed(); attempt++ {
		s := screen()
		if !strings.Contains(s, clientError) || attempt == 3 {
			t.Fatalf("the loop never ran (attempt %d); screen:\n%s", attempt, s)
		}
		t.Logf("jupyter console failed on its own (attempt %d), starting a new one:\n%s", attempt, s)
		startConsole()
		waitFor("In [1]")
	}
	s := screen()
	for _, want := range []string{"loop 0", "loop 7", "loop 14"} {
		if !strings.Contains(s, want) {
			t.Errorf("console output lacks %q:\n%s", want, s)
		}
	}
	send("exit", "Enter")
}

// waitUntil polls screen until it contains what, for at most limit.
func waitUntil(screen func() string, what string, limit time.Duration) bool {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if strings.Contains(screen(), what) {
			return true
		}
	}
	return false
}

// nbText joins nbformat's multi-line strings, which may be a string or a
// list of lines.
func nbText(v any) string {
	if l, ok := v.([]any); ok {
		var b strings.Builder
		for _, s := range l {
			b.WriteString(s.(string))
		}
		return b.String()
	}
	s, _ := v.(string)
	return s
}
