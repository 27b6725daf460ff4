package plt

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// niceTicks returns matplotlib-like tick positions (MaxNLocator with steps
// 1, 2, 2.5, 5, 10): the smallest nice step at least (max-min)/nbins,
// ticks at its multiples inside [min, max].
func niceTicks(min, max float64, nbins int) (ticks []float64, step float64) {
	if !(max > min) || math.IsInf(min, 0) || math.IsInf(max, 0) || math.IsNaN(min) || math.IsNaN(max) {
		return []float64{min}, 1
	}
	if nbins < 1 {
		nbins = 1
	}
	raw := (max - min) / float64(nbins)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, s := range []float64{1, 2, 2.5, 5, 10, 20} {
		step = s * mag
		if step >= raw*(1-1e-9) {
			lo := math.Ceil(min/step - 1e-9)
			hi := math.Floor(max/step + 1e-9)
			if hi-lo >= 1 || s >= 10 {
				for k := lo; k <= hi; k++ {
					v := k * step
					if math.Abs(v) < step*1e-9 {
						v = 0
					}
					ticks = append(ticks, v)
				}
				return ticks, step
			}
		}
	}
	return []float64{min, max}, max - min
}

// tickLabel formats v with as many decimals as step needs, all labels of
// an axis alike, with a real minus sign as matplotlib does.
func tickLabel(v, step float64) string {
	var s string
	av := math.Max(math.Abs(v), step)
	if av >= 1e6 || (step < 1e-4 && av < 1e-3) {
		s = strconv.FormatFloat(v, 'g', 4, 64)
	} else {
		dec := 0
		for dec < 10 {
			scaled := step * math.Pow(10, float64(dec))
			if math.Abs(scaled-math.Round(scaled)) < 1e-6*scaled {
				break
			}
			dec++
		}
		s = strconv.FormatFloat(v, 'f', dec, 64)
	}
	return strings.ReplaceAll(s, "-", "−")
}

// linearTicker makes labelled ticks at nice positions; the number of bins
// depends on the axis length, as matplotlib's "auto" does.
type linearTicker struct{ nbins int }

func (t linearTicker) Ticks(min, max float64) []plot.Tick {
	vals, step := niceTicks(min, max, t.nbins)
	out := make([]plot.Tick, len(vals))
	for i, v := range vals {
		out[i] = plot.Tick{Value: v, Label: tickLabel(v, step)}
	}
	return out
}

// logTicker labels powers of ten as 10ⁿ (LaTeX) and adds minor ticks at
// their multiples. As matplotlib's LogFormatterSciNotation, an axis
// spanning at most one decade also labels some minor ticks (2, 3, 4 and
// 6 times a power, as 2×10⁻¹), one spanning at most 0.4 decades all of
// them; and an axis with fewer than two labelled ticks falls back to
// plain linear ticks, so that every log axis has readable labels.
type logTicker struct{ nbins int }

func (t logTicker) Ticks(vmin, vmax float64) []plot.Tick {
	if !(vmin > 0 && vmax > vmin) || math.IsInf(vmax, 0) {
		return nil
	}
	lo, hi := int(math.Floor(math.Log10(vmin))), int(math.Ceil(math.Log10(vmax)))
	decades := math.Log10(vmax / vmin)
	every := 1
	for (hi-lo)/every > 8 {
		every++
	}
	in := func(v float64) bool { return v >= vmin*(1-1e-9) && v <= vmax*(1+1e-9) }
	var out []plot.Tick
	labelled := 0
	for e := lo; e <= hi; e++ {
		base := math.Pow(10, float64(e))
		if in(base) && (e-lo)%every == 0 {
			out = append(out, plot.Tick{Value: base, Label: fmt.Sprintf("$10^{%d}$", e)})
			labelled++
		}
		if every > 1 {
			continue
		}
		for m := 2; m < 10; m++ {
			v := float64(m) * base
			if !in(v) {
				continue
			}
			tk := plot.Tick{Value: v}
			if decades <= 0.4 || (decades <= 1 && (m == 2 || m == 3 || m == 4 || m == 6)) {
				tk.Label = fmt.Sprintf(`$%d\times10^{%d}$`, m, e)
				labelled++
			}
			out = append(out, tk)
		}
	}
	if labelled < 2 {
		return linearTicker{nbins: max(t.nbins, 3)}.Ticks(vmin, vmax)
	}
	return out
}
