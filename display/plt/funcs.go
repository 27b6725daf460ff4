package plt

// The package-level calls act on the current axes, as in matplotlib.

// Plot draws ys against xs on the current axes; see Axes.Plot.
func Plot(xs, ys any, fmtStr string, opts ...Option) { Gca().Plot(xs, ys, fmtStr, opts...) }

// PlotY draws ys against 0, 1, 2, ... (matplotlib's plot(ys)).
func PlotY(ys any, fmtStr string, opts ...Option) { Gca().Plot(nil, ys, fmtStr, opts...) }

// Scatter draws markers on the current axes; see Axes.Scatter.
func Scatter(xs, ys any, opts ...Option) { Gca().Scatter(xs, ys, opts...) }

// Title sets the current axes' title.
func Title(s string) { Gca().SetTitle(s) }

// XLabel labels the current x axis.
func XLabel(s string) { Gca().SetXLabel(s) }

// YLabel labels the current y axis.
func YLabel(s string) { Gca().SetYLabel(s) }

// ZLabel labels the z axis of the current 3-D axes.
func ZLabel(s string) { Gca().SetZLabel(s) }

// XLim fixes the current x range.
func XLim(lo, hi float64) { Gca().SetXLim(lo, hi) }

// YLim fixes the current y range.
func YLim(lo, hi float64) { Gca().SetYLim(lo, hi) }

// ZLim fixes the z range of the current 3-D axes.
func ZLim(lo, hi float64) { Gca().SetZLim(lo, hi) }

// XScale sets the current x scale: "linear" or "log".
func XScale(s string) { Gca().SetXScale(s) }

// YScale sets the current y scale: "linear" or "log".
func YScale(s string) { Gca().SetYScale(s) }

// Grid turns the current axes' grid on or off.
func Grid(on bool) { Gca().Grid(on) }

// Legend shows a legend of the labelled series; see Axes.Legend.
func Legend(loc ...string) { Gca().Legend(loc...) }

// LegendLabels shows a legend naming the series in order.
func LegendLabels(labels []string, loc ...string) { Gca().LegendLabels(labels, loc...) }

// Axis sets how the current axes show: "off", "on", "equal" or "auto";
// see Axes.Axis.
func Axis(s string) { Gca().Axis(s) }

// XTicks puts the current x ticks at ticks (nil or empty: none), labelled
// with labels (nil: the values): matplotlib's xticks(ticks, labels).
func XTicks(ticks any, labels []string, opts ...Option) { Gca().SetXTicks(ticks, labels, opts...) }

// YTicks puts the current y ticks at ticks, labelled with labels.
func YTicks(ticks any, labels []string, opts ...Option) { Gca().SetYTicks(ticks, labels, opts...) }
