package notebooks_test

import (
	"sort"
	"strings"
	"testing"
)

// TestInteractiveNotebookWidgetState checks the widget state that
// nbconvert saved with the committed 07_interactive_descent.ipynb, which
// notebook viewers render from: every widget the cells display is there,
// the sliders at their starting values, and each interactive output area
// holds the plot its first run drew.
func TestInteractiveNotebookWidgetState(t *testing.T) {
	nb := readNotebook(t, "07_interactive_descent.ipynb")
	state := nb.Metadata.Widgets.State.State
	if len(state) == 0 {
		t.Fatal("no widget state saved: execute the notebook with nbconvert (make_notebooks.py --execute 07)")
	}
	var names []string
	values := map[string]any{}
	images := 0
	for _, m := range state {
		names = append(names, m.ModelName)
		if m.State.Value != nil {
			values[m.ModelName] = m.State.Value
		}
		if m.ModelName == "OutputModel" {
			n := 0
			for _, o := range m.State.Outputs {
				if o.Data["image/png"] != nil {
					n++
				}
			}
			if n != 1 {
				t.Errorf("an output area holds %d images, want 1", n)
			}
			images += n
		}
	}
	sort.Strings(names)
	want := "FloatLogSliderModel FloatSliderModel IntSliderModel OutputModel OutputModel PlayModel VBoxModel VBoxModel"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("saved models %s, want %s", got, want)
	}
	for name, v := range map[string]float64{"FloatLogSliderModel": 0.01, "FloatSliderModel": 0, "IntSliderModel": 100, "PlayModel": 10} {
		if values[name] != v {
			t.Errorf("%s value %v, want %v", name, values[name], v)
		}
	}
}
