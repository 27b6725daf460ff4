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

// browserNotebooks are the notebooks the browser runs, with what their
// pages must show: a tutorial with every kind of output (streams, images,
// a progress bar), and Fashion-MNIST's classifier notebook (tables of
// images, a CNN trained with progress bars, a confusion matrix, a model
// saved and loaded).
var browserNotebooks = []struct {
	name   string
	images int      // plot images the page must render
	texts  []string // text the outputs must contain
	wait   time.Duration
}{
	{"01_gradient_descent_pytorch_style.ipynb", 2, []string{"[timing] training loop:", "y = ", "same a and b: true"}, 5 * time.Minute},
	{"06_fashion_mnist.ipynb", 3, []string{"MLP test accuracy:", "CNN test accuracy:", "loaded model:"}, 10 * time.Minute},
}

// TestNotebookInBrowser is the path a person takes: it starts Jupyter
// Notebook (Debian's package) on localhost, opens each notebook in
// headless Chromium, runs all cells from the page's Cell menu, and checks
// what the page renders: every code cell executed, the plot images
// loaded, the expected text printed, and no error output.
func TestNotebookInBrowser(t *testing.T) {
	kerneltest.Install(t)
	kerneltest.Python(t, "notebook")
	jupyter := kerneltest.Tool(t, "jupyter")
	chromium := kerneltest.Tool(t, "chromium")

	// Copies without outputs, so everything on the page comes from this run.
	dir := t.TempDir()
	for _, nb := range browserNotebooks {
		writeCleared(t, nb.name, filepath.Join(dir, nb.name))
	}

	base, token := startJupyter(t, jupyter, dir)
	ctx := newBrowser(t, chromium, dir)
	for _, nb := range browserNotebooks {
		t.Run(strings.TrimSuffix(nb.name, ".ipynb"), func(t *testing.T) {
			// Each notebook in a tab of its own: leaving a notebook page
			// that ran cells asks "leave this page?" (beforeunload), which
			// would hold the next navigation forever.
			tab, closeTab := chromedp.NewContext(ctx)
			defer closeTab()
			runInBrowser(t, tab, fmt.Sprintf("%s/notebooks/%s?token=%s", base, nb.name, token), nb.images, nb.texts, nb.wait)
		})
	}
}

// runInBrowser opens the notebook at url, runs all its cells and checks
// the page.
func runInBrowser(t *testing.T, ctx context.Context, url string, images int, texts []string, wait time.Duration) {
	var kernelName string
	err := chromedp.Run(ctx,
		chromedp.Navigate(url),
		// The page is ready when its kernel has started and is idle.
		chromedp.Poll(`window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
			Jupyter.notebook.kernel.is_connected() && !Jupyter.notebook.kernel_busy`, nil,
			chromedp.WithPollingTimeout(5*time.Minute)),
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
			chromedp.WithPollingTimeout(wait)),
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
	if page.Images < images || page.Loaded != page.Images {
		t.Errorf("the page shows %d plot images (%d rendered), want %d, all rendered", page.Images, page.Loaded, images)
	}
	for _, want := range texts {
		if !strings.Contains(page.Text, want) {
			t.Errorf("the page's output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("page output:\n%s", tail(page.Text, 3000))
	}
}

// startJupyter starts Jupyter Notebook (Debian's package) on localhost
// serving dir, and returns its address and token. The server and the
// kernels it started are ended when the test ends; its log is shown if the
// test failed.
func startJupyter(t *testing.T, jupyter, dir string) (base, token string) {
	t.Helper()
	port := freePort(t)
	token = fmt.Sprintf("gradlab-test-%d", time.Now().UnixNano())
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
	t.Cleanup(func() {
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
	})
	base = fmt.Sprintf("http://127.0.0.1:%d", port)
	// The deadlines here only bound a hung run: each step waits for its
	// event, and on a loaded machine (load 40 on 2 cores) opening the page
	// alone took over two minutes.
	waitHTTP(t, base+"/api?token="+token, 3*time.Minute)
	return base, token
}

// newBrowser starts headless Chromium with a profile in dir; it is closed
// when the test ends. The context given allows three minutes.
func newBrowser(t *testing.T, chromium, dir string) context.Context {
	t.Helper()
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
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	t.Cleanup(func() { cancel(); cancelCtx(); cancelAlloc() })
	return ctx
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
