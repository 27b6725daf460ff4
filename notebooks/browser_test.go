package notebooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gradlab/gradlab/kernel/kerneltest"
)

// browserNotebook is the tutorial the browser runs: every kind of output
// (text, values, plots) in a few seconds.
const browserNotebook = "01_gradient_descent_pytorch_style.ipynb"

// TestNotebookInBrowser is the path a person takes: it starts Jupyter
// Notebook (Debian's package) on localhost, opens a tutorial in headless
// Chromium, runs all cells from the page's Cell menu, and checks what the
// page renders: every code cell executed, the plot images loaded, the
// fitted line printed, and no error output.
func TestNotebookInBrowser(t *testing.T) {
	kerneltest.Install(t)
	kerneltest.Python(t, "notebook")
	jupyter := kerneltest.Tool(t, "jupyter")
	chromium := kerneltest.Tool(t, "chromium")

	// A copy without outputs, so everything on the page comes from this run.
	dir := t.TempDir()
	writeCleared(t, browserNotebook, filepath.Join(dir, browserNotebook))

	port := freePort(t)
	token := fmt.Sprintf("gradlab-test-%d", time.Now().UnixNano())
	srv := exec.Command(jupyter, "notebook", "--no-browser", "--ip=127.0.0.1",
		fmt.Sprintf("--port=%d", port), "--port-retries=0",
		"--allow-root", "--NotebookApp.token="+token, "--NotebookApp.notebook_dir="+dir)
	srv.Env = append(os.Environ(), "HOME="+dir) // keep Jupyter's runtime files out of the user's home
	srv.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logPath := filepath.Join(dir, "jupyter.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	srv.Stdout, srv.Stderr = logf, logf
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		// End the server and the kernels it started (its process group).
		syscall.Kill(-srv.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-srv.Process.Pid, syscall.SIGKILL)
			<-done
		}
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("jupyter notebook log:\n%s", tail(string(b), 4000))
		}
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitHTTP(t, base+"/api?token="+token, 60*time.Second)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "chromium-profile")),
		chromedp.WindowSize(1280, 1024),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(actx)
	defer cancelCtx()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	url := fmt.Sprintf("%s/notebooks/%s?token=%s", base, browserNotebook, token)
	var kernelName string
	err = chromedp.Run(ctx,
		chromedp.Navigate(url),
		// The page is ready when its kernel has started and is idle.
		chromedp.Poll(`window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
			Jupyter.notebook.kernel.is_connected() && !Jupyter.notebook.kernel_busy`, nil,
			chromedp.WithPollingTimeout(90*time.Second)),
		chromedp.Evaluate(`Jupyter.notebook.kernel.name`, &kernelName),
		// Cell > Run All, as a person would.
		chromedp.Evaluate(`document.querySelector('#run_all_cells a').click()`, nil),
		// Done when every code cell's request has ended: its execute_reply
		// and its idle both arrived. The two come on different channels in
		// no set order, and kernel_busy follows any request's status, so an
		// execution count and !kernel_busy are not enough. Notebook 6 keeps
		// each cell's callbacks (clear_on_done: false) and marks them
		// shell_done and iopub_done (kernel.js _finish_shell/_finish_iopub).
		chromedp.Poll(`Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code' ||
			c.get_text().trim() === '' || (() => {
				const cb = c.last_msg_id && Jupyter.notebook.kernel.get_callbacks_for_msg(c.last_msg_id);
				return !!cb && cb.shell_done && cb.iopub_done;
			})())`, nil,
			chromedp.WithPollingTimeout(2*time.Minute)),
	)
	if err != nil {
		t.Fatalf("running the notebook in the browser: %v", err)
	}
	if kernelName != "gradlab" {
		t.Errorf("the page runs kernel %q, want gradlab", kernelName)
	}

	// What the page shows.
	var page struct {
		CodeCells int      `json:"codeCells"`
		Images    int      `json:"images"`
		Loaded    int      `json:"loaded"`
		Errors    []string `json:"errors"`
		Text      string   `json:"text"`
	}
	var raw string
	err = chromedp.Run(ctx, chromedp.Evaluate(`JSON.stringify({
		codeCells: document.querySelectorAll('.code_cell').length,
		images: document.querySelectorAll('.output_area img').length,
		loaded: [...document.querySelectorAll('.output_area img')].filter(i => i.complete && i.naturalWidth > 100).length,
		errors: [...document.querySelectorAll('.output_error, .output_stderr')].map(e => e.innerText),
		text: [...document.querySelectorAll('.output_area')].map(e => e.innerText).join('\n'),
	})`, &raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(raw), &page); err != nil {
		t.Fatal(err)
	}
	t.Logf("page: %d code cells, %d images (%d rendered), %d error outputs", page.CodeCells, page.Images, page.Loaded, len(page.Errors))
	if len(page.Errors) > 0 {
		t.Errorf("the page shows errors: %q", page.Errors)
	}
	if page.Images < 2 || page.Loaded != page.Images {
		t.Errorf("the page shows %d plot images (%d rendered), want 2, all rendered", page.Images, page.Loaded)
	}
	for _, want := range []string{"[timing] training loop:", "y = ", "same a and b: true"} {
		if !strings.Contains(page.Text, want) {
			t.Errorf("the page's output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("page output:\n%s", tail(page.Text, 3000))
	}
}

// writeCleared copies a notebook without its outputs and execution counts.
func writeCleared(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var nb map[string]any
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	for _, c := range nb["cells"].([]any) {
		cell := c.(map[string]any)
		if cell["cell_type"] == "code" {
			cell["outputs"] = []any{}
			cell["execution_count"] = nil
		}
	}
	out, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitHTTP waits until url answers 200.
func waitHTTP(t *testing.T, url string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("jupyter notebook did not answer at %s within %v", url, timeout)
}
