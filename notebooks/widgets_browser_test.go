package notebooks_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/gradlab/gradlab/kernel/kerneltest"
)

// widgetJS is where the widget page's sources and npm packages live
// (install/deps.sh's need_widget_js runs npm ci there).
var widgetJS = filepath.Join("testdata", "widgets")

// buildWidgetPage bundles the page with esbuild into a new directory.
func buildWidgetPage(t *testing.T) string {
	t.Helper()
	esbuild := filepath.Join(widgetJS, "node_modules", ".bin", "esbuild")
	if _, err := os.Stat(esbuild); err != nil {
		if kerneltest.Required() {
			t.Fatalf("the widget page's npm packages are not installed in %s: run install/test.sh (install/deps.sh need_widget_js)", widgetJS)
		}
		t.Skipf("the widget page's npm packages are not installed in %s (run install/test.sh)", widgetJS)
	}
	out := t.TempDir()
	args := []string{"page.js", "--bundle", "--outdir=" + out, "--log-level=error", "--loader:.css=css", "--define:jQuery=window.jQuery"}
	for _, ext := range []string{"woff", "woff2", "ttf", "eot", "svg"} {
		args = append(args, "--loader:."+ext+"=file")
	}
	cmd := exec.Command(filepath.Join("node_modules", ".bin", "esbuild"), args...)
	cmd.Dir = widgetJS
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("esbuild: %v\n%s", err, b)
	}
	page, err := os.ReadFile(filepath.Join(widgetJS, "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "page.html"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// serveWidgetPage serves the page under /widgets/ and passes everything
// else (the REST API, the kernels' websockets) to the Jupyter server, so
// that the page and the server share an origin.
func serveWidgetPage(t *testing.T, pageDir, jupyterBase string) string {
	t.Helper()
	target, err := url.Parse(jupyterBase)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/widgets/", http.StripPrefix("/widgets/", http.FileServer(http.Dir(pageDir))))
	mux.Handle("/", httputil.NewSingleHostReverseProxy(target))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// evalAsync evaluates a JavaScript expression, awaiting the promise it
// returns.
func evalAsync(expr string, res any) chromedp.Action {
	return chromedp.Evaluate(expr, res, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})
}

// TestWidgetsInBrowser renders gradlab's widgets with the widget frontend
// JupyterLab, Notebook 7, VS Code and Voila share (npm's
// @jupyter-widgets/html-manager, ipywidgets 8's models and views, over
// @jupyterlab/services and a Jupyter server) in headless Chromium: a cell
// shows an interactive slider, the mouse drags the slider's handle, and
// the test checks that the kernel saw the new value (the redrawn output
// prints the value the slider's readout shows, and a later cell prints it
// too) and that the plot was redrawn.
//
// It runs with both generations of models the kernel can send: ipywidgets
// 7's (the default, which html-manager renders with its controls7 package,
// as JupyterLab 4's manager does) and ipywidgets 8's (GRADLAB_WIDGETS=8).
func TestWidgetsInBrowser(t *testing.T) {
	kerneltest.Install(t)
	kerneltest.Python(t, "notebook")
	jupyter := kerneltest.Tool(t, "jupyter")
	chromium := kerneltest.Tool(t, "chromium")
	pageDir := buildWidgetPage(t)
	for _, gen := range []string{"7", "8"} {
		t.Run("ipywidgets"+gen, func(t *testing.T) {
			t.Setenv("GRADLAB_WIDGETS", gen) // the kernels Jupyter starts inherit it
			dragSliderInBrowser(t, jupyter, chromium, pageDir)
		})
	}
}

// dragSliderInBrowser runs the test in a new server and browser. The
// selectors match both generations' sliders (ipywidgets 8's noUiSlider,
// ipywidgets 7's jQuery UI slider).
func dragSliderInBrowser(t *testing.T, jupyter, chromium, pageDir string) {
	dir := t.TempDir()
	jbase, token := startJupyter(t, jupyter, dir)
	base := serveWidgetPage(t, pageDir, jbase)
	ctx := newBrowser(t, chromium, dir)
	logBrowserConsole(t, ctx)

	var status string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/widgets/page.html?token="+url.QueryEscape(token)),
		chromedp.Poll(`document.getElementById('status').textContent !== 'loading'`, nil, chromedp.WithPollingTimeout(90*time.Second)),
		chromedp.Text("#status", &status),
	)
	if err != nil || status != "ready" {
		t.Fatalf("the page did not start a gradlab kernel: %v; status %q", err, status)
	}

	var reply string
	err = chromedp.Run(ctx, evalAsync(`gradlab.run(`+strconv.Quote(`lr := widgets.NewFloatSlider("lr", 0.1, 0, 1, 0.01)
widgets.Interact(func() {
	fmt.Printf("lr is %.2f\n", lr.Value())
	plt.Plot([]float64{0, 1, 2}, []float64{0, lr.Value(), 4 * lr.Value()}, "r-o")
	plt.Title(fmt.Sprintf("lr %.2f", lr.Value()))
}, lr)`)+`)`, &reply))
	if err != nil || reply != "ok" {
		t.Fatalf("running the cell: %v, status %q", err, reply)
	}

	// The slider and the output area render, with the first run's output.
	var before string
	err = chromedp.Run(ctx,
		chromedp.Poll(`(() => {
			const o = document.querySelector('.widget-output');
			const img = o && o.querySelector('img');
			return !!(document.querySelector('.noUi-handle, .ui-slider-handle') && o &&
				o.innerText.includes('lr is 0.10') && img && img.complete && img.naturalWidth > 100);
		})()`, nil, chromedp.WithPollingTimeout(60*time.Second)),
		chromedp.Evaluate(`document.querySelector('.widget-output img').src`, &before),
	)
	if err != nil {
		var text string
		chromedp.Run(ctx, chromedp.Evaluate(`document.body.innerText + '\n' + JSON.stringify(gradlab.log) + JSON.stringify(gradlab.texts)`, &text))
		t.Fatalf("the widgets did not render: %v\npage:\n%s", err, text)
	}

	// Drag the handle to about 60% of the track, as a person would.
	dragSlider(t, ctx, `.noUi-handle, .ui-slider-handle`, `.noUi-target, .ui-slider`, 0.6)

	// The readout shows the new value; the kernel re-ran the function with
	// it (the output area prints it) and drew a new plot.
	var readout, outText, after string
	err = chromedp.Run(ctx,
		chromedp.Poll(`(() => {
			const r = document.querySelector('.widget-readout').innerText.trim();
			const o = document.querySelector('.widget-output');
			const img = o.querySelector('img');
			return r !== '0.10' && o.innerText.includes('lr is ' + r) && img && img.complete && img.naturalWidth > 100;
		})()`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Evaluate(`document.querySelector('.widget-readout').innerText.trim()`, &readout),
		chromedp.Evaluate(`document.querySelector('.widget-output').innerText`, &outText),
		chromedp.Evaluate(`document.querySelector('.widget-output img').src`, &after),
	)
	if err != nil {
		chromedp.Run(ctx,
			chromedp.Evaluate(`document.querySelector('.widget-readout').innerText`, &readout),
			chromedp.Evaluate(`document.querySelector('.widget-output').innerText`, &outText))
		t.Fatalf("after the drag: %v; readout %q, output area %q", err, readout, outText)
	}
	t.Logf("dragged the slider from 0.10 to %s; the output area shows %q", readout, strings.TrimSpace(outText))
	v, err := strconv.ParseFloat(readout, 64)
	if err != nil || v < 0.45 || v > 0.75 {
		t.Errorf("the slider reads %q after a drag to 60%% of its track", readout)
	}
	if after == before {
		t.Error("the plot was not redrawn: same image after the drag")
	}
	if n := len(regexp.MustCompile(`lr is`).FindAllString(outText, -1)); n != 1 {
		t.Errorf("the output area shows %d runs' output, want only the last: %q", n, outText)
	}

	// A cell sees the value the browser sent.
	err = chromedp.Run(ctx,
		evalAsync(`gradlab.run('fmt.Printf("kernel sees %.2f\\n", lr.Value())')`, &reply),
		chromedp.Poll(`gradlab.texts.some(t => t.startsWith('kernel sees'))`, nil, chromedp.WithPollingTimeout(20*time.Second)),
	)
	var texts []string
	chromedp.Run(ctx, chromedp.Evaluate(`gradlab.texts`, &texts))
	if err != nil || !contains1(texts, fmt.Sprintf("kernel sees %s\n", readout)) {
		t.Errorf("a cell after the drag printed %q (err %v), want the readout %s", texts, err, readout)
	}
}

// logBrowserConsole shows the page's console messages and uncaught
// exceptions if the test fails.
func logBrowserConsole(t *testing.T, ctx context.Context) {
	var mu sync.Mutex
	var lines []string
	chromedp.ListenTarget(ctx, func(ev any) {
		var line string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range e.Args {
				args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			line = string(e.Type) + ": " + strings.Join(args, " ")
		case *runtime.EventExceptionThrown:
			line = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				line += " " + e.ExceptionDetails.Exception.Description
			}
		default:
			return
		}
		mu.Lock()
		lines = append(lines, line)
		mu.Unlock()
	})
	t.Cleanup(func() {
		if t.Failed() {
			mu.Lock()
			t.Logf("browser console:\n%s", tail(strings.Join(lines, "\n"), 6000))
			mu.Unlock()
		}
	})
}

func contains1(l []string, s string) bool {
	for _, x := range l {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// TestWidgetsInNotebook6 drags a slider in Debian's Notebook 6, whose
// widget extension is jupyter-js-widgets 2.1 (ipywidgets 6): the kernel
// answers the extension's version check, speaks widget protocol version 1
// from then on, and the same widgets render and sync. The test runs an
// interactive slider's cell from the page, drags the handle with the mouse,
// and checks that the kernel re-ran the function with the readout's value
// and that a later cell sees it.
func TestWidgetsInNotebook6(t *testing.T) {
	kerneltest.Install(t)
	kerneltest.Python(t, "notebook")
	jupyter := kerneltest.Tool(t, "jupyter")
	chromium := kerneltest.Tool(t, "chromium")
	if _, err := os.Stat("/usr/share/jupyter/nbextensions/jupyter-js-widgets/extension.js"); err != nil {
		if kerneltest.Required() {
			t.Fatal("Notebook 6's widget extension is not installed: run install/test.sh (Debian's jupyter-nbextension-jupyter-js-widgets)")
		}
		t.Skip("Notebook 6's widget extension (jupyter-nbextension-jupyter-js-widgets) is not installed")
	}
	dir := t.TempDir()
	nb := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "gradlab", "display_name": "Go (gradlab)", "language": "go"}},
"cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "outputs": [], "execution_count": null, "source": ` + strconv.Quote(`lr := widgets.NewFloatSlider("lr", 0.1, 0, 1, 0.01)
widgets.Interact(func() {
	fmt.Printf("lr is %.2f\n", lr.Value())
}, lr)`) + `}]}`
	if err := os.WriteFile(filepath.Join(dir, "w.ipynb"), []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	base, token := startJupyter(t, jupyter, dir)
	ctx := newBrowser(t, chromium, dir)
	logBrowserConsole(t, ctx)

	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/notebooks/w.ipynb?token=%s", base, token)),
		chromedp.Poll(`window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
			Jupyter.notebook.kernel.is_connected() && !Jupyter.notebook.kernel_busy`, nil,
			chromedp.WithPollingTimeout(90*time.Second)),
		chromedp.Sleep(time.Second), // the widget extension's version check
		chromedp.Evaluate(`Jupyter.notebook.execute_all_cells()`, nil),
		chromedp.Poll(`(() => {
			const h = document.querySelector('.widget-hslider .ui-slider-handle');
			const o = document.querySelector('.output_area');
			return !!(h && o && document.body.innerText.includes('lr is 0.10'));
		})()`, nil, chromedp.WithPollingTimeout(60*time.Second)),
	)
	if err != nil {
		var text string
		chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector('#notebook').innerHTML.slice(0, 4000)`, &text))
		t.Fatalf("the widgets did not render in Notebook 6: %v\npage:\n%s", err, text)
	}
	dragSlider(t, ctx, `.widget-hslider .ui-slider-handle`, `.widget-hslider .slider`, 0.6)
	var readout, outText string
	err = chromedp.Run(ctx,
		chromedp.Poll(`(() => {
			const r = document.querySelector('.widget-hslider .widget-readout').innerText.trim();
			return r !== '0.10' && document.querySelector('.output_area').innerText.includes('lr is ' + r);
		})()`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Evaluate(`document.querySelector('.widget-hslider .widget-readout').innerText.trim()`, &readout),
		chromedp.Evaluate(`[...document.querySelectorAll('.output_area')].map(e => e.innerText).join('\n')`, &outText),
	)
	if err != nil {
		chromedp.Run(ctx,
			chromedp.Evaluate(`document.querySelector('.widget-hslider .widget-readout').innerText`, &readout),
			chromedp.Evaluate(`[...document.querySelectorAll('.output_area')].map(e => e.innerText).join('\n')`, &outText))
		t.Fatalf("after the drag: %v; readout %q, outputs %q", err, readout, outText)
	}
	t.Logf("dragged the slider from 0.10 to %s; the outputs show %q", readout, strings.TrimSpace(outText))
	if n := strings.Count(outText, "lr is"); n != 1 {
		t.Errorf("the output area shows %d runs' output, want only the last: %q", n, outText)
	}
	// A new cell sees the value.
	var seen string
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`(() => {
			const c = Jupyter.notebook.insert_cell_at_bottom('code');
			c.set_text('fmt.Printf("kernel sees %.2f\\n", lr.Value())');
			c.execute();
		})()`, nil),
		chromedp.Poll(`/kernel sees [0-9]/.test([...document.querySelectorAll('.output_area')].map(e => e.innerText).join('\n'))`, nil,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`([...document.querySelectorAll('.output_area')].map(e => e.innerText).join('\n').match(/kernel sees [0-9.]+/) || [''])[0]`, &seen),
	)
	if err != nil || seen != "kernel sees "+readout {
		t.Errorf("a later cell printed %q (err %v), want the readout %s", seen, err, readout)
	}
}

// dragSlider drags the slider handle matched by handle to the fraction at
// of the track matched by track, with the mouse, in ten moves, as a
// person would.
func dragSlider(t *testing.T, ctx context.Context, handle, track string, at float64) {
	t.Helper()
	var box struct{ HX, HY, TX, TW float64 }
	err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`(() => {
		const h = document.querySelector(%q).getBoundingClientRect();
		const tr = document.querySelector(%q).getBoundingClientRect();
		return {HX: h.x + h.width / 2, HY: h.y + h.height / 2, TX: tr.x, TW: tr.width};
	})()`, handle, track), &box))
	if err != nil || box.TW < 50 {
		t.Fatalf("slider geometry %+v: %v", box, err)
	}
	toX := box.TX + at*box.TW
	actions := []chromedp.Action{input.DispatchMouseEvent(input.MouseMoved, box.HX, box.HY),
		input.DispatchMouseEvent(input.MousePressed, box.HX, box.HY).WithButton(input.Left).WithClickCount(1)}
	for i := 1; i <= 10; i++ {
		x := box.HX + (toX-box.HX)*float64(i)/10
		actions = append(actions, input.DispatchMouseEvent(input.MouseMoved, x, box.HY).WithButton(input.Left).WithButtons(1),
			chromedp.Sleep(30*time.Millisecond))
	}
	actions = append(actions, input.DispatchMouseEvent(input.MouseReleased, toX, box.HY).WithButton(input.Left).WithClickCount(1))
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("dragging the slider: %v", err)
	}
}
