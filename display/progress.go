package display

import (
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Redraws happen at most this often (plus once at completion and Close),
// however often Add is called.
const redrawEvery = 100 * time.Millisecond

// maxStride is the most Add calls between two clock readings.
const maxStride = 256

// clock returns monotonic nanoseconds; tests replace it.
var (
	clockBase = time.Now()
	clock     = func() int64 { return int64(time.Since(clockBase)) }
)

// stderr is where text-mode bars draw (like tqdm); tests replace it.
var stderr io.Writer = os.Stderr

// Progress is a tqdm-like progress bar. In a notebook it is one HTML bar
// (with a text/plain twin for consoles) updated in place; with the default
// text sink it redraws a line on standard error. The output keeps its final
// state, so an executed notebook shows how the loop ended.
//
// Add is cheap enough for every iteration of a tight loop: it reads the
// clock only every few calls, adapting how many to the loop's speed. A
// Progress is meant for one goroutine.
type Progress struct {
	total, n int
	limit    int // n at which to draw the completed state
	calls    int // Add calls since the last clock reading
	every    int // read the clock every `every` calls

	start, lastCheck, lastDraw int64

	desc, unit string
	postfix    string
	keys       []string
	vals       []float64

	h      *Handle
	text   bool // draw on stderr instead of through the sink
	closed bool
	drawnN int // n at the last draw
}

// Bars started in the running cell: at its end, those with steps not yet
// drawn are redrawn, so the output keeps the final count even if the loop
// stopped early without Close.
var (
	barsMu sync.Mutex
	bars   []*Progress
)

func init() { OnCellEnd(flushBars) }

func flushBars() {
	barsMu.Lock()
	bs := bars
	bars = nil
	barsMu.Unlock()
	for _, p := range bs {
		if !p.closed && p.n != p.drawnN {
			p.draw(clock())
		}
	}
}

// NewProgress starts and shows a bar for total steps (total <= 0: unknown,
// the bar shows a count and rate only) described by desc, e.g. "Batch".
func NewProgress(total int, desc string) *Progress {
	now := clock()
	p := &Progress{
		total: total, limit: total, every: 1,
		start: now, lastCheck: now,
		desc: desc, unit: "it",
	}
	if total <= 0 {
		p.limit = math.MaxInt
	}
	_, p.text = current().(textSink)
	p.draw(now)
	if !p.text { // outside a notebook no cell ends: keep no list that only grows
		barsMu.Lock()
		bars = append(bars, p)
		barsMu.Unlock()
	}
	return p
}

// SetUnit names what is counted: SetUnit("epoch") gives "129.91 epoch/s"
// (tqdm's unit=" epoch"); the default "it" gives tqdm's "129.91it/s".
func (p *Progress) SetUnit(unit string) {
	unit = strings.TrimSpace(unit)
	if unit == "" {
		unit = "it"
	}
	if unit != "it" {
		unit = " " + unit
	}
	p.unit = unit
}

// SetDescription changes the text before the bar.
func (p *Progress) SetDescription(desc string) { p.desc = desc }

// SetPostfix sets free text shown after the rate, e.g. "loss=0.25".
func (p *Progress) SetPostfix(s string) { p.postfix = s }

// Set records a named value shown after the rate as key=value (like tqdm's
// set_postfix(loss=...)); later calls with the same key replace the value.
// It is cheap: the text is built only when the bar redraws.
func (p *Progress) Set(key string, value float64) {
	for i, k := range p.keys {
		if k == key {
			p.vals[i] = value
			return
		}
	}
	p.keys = append(p.keys, key)
	p.vals = append(p.vals, value)
}

// N returns the count so far.
func (p *Progress) N() int { return p.n }

// Add advances the bar by n steps.
func (p *Progress) Add(n int) {
	p.n += n
	p.calls++
	if p.calls < p.every && p.n < p.limit {
		return
	}
	p.tick()
}

// tick runs on the rare Add that reads the clock.
func (p *Progress) tick() {
	now := clock()
	since := now - p.lastCheck
	p.lastCheck = now
	// Aim for a clock reading every few milliseconds: grow the stride while
	// the loop is fast, and shrink it at once when it turns slow.
	switch {
	case since < int64(2*time.Millisecond):
		// The cap bounds the lag if a fast loop turns slow: at most
		// maxStride slow steps pass before the stride adapts.
		if p.every < maxStride {
			p.every *= 2
		}
	case since > int64(20*time.Millisecond):
		p.every = int(int64(p.every) * int64(5*time.Millisecond) / since)
		if p.every < 1 {
			p.every = 1
		}
	}
	p.calls = 0
	if p.n >= p.limit {
		p.limit = math.MaxInt // draw the completed state once
		p.draw(now)
		return
	}
	if now-p.lastDraw >= int64(redrawEvery) {
		p.draw(now)
	}
}

// Close draws the final state. Further calls do nothing.
func (p *Progress) Close() {
	if p.closed {
		return
	}
	p.closed = true
	p.draw(clock())
	if p.text {
		fmt.Fprintln(stderr)
	}
}

// String returns the bar as tqdm would print it now.
func (p *Progress) String() string {
	return p.line(float64(clock()-p.start) / 1e9)
}

func (p *Progress) draw(now int64) {
	p.lastDraw, p.drawnN = now, p.n
	line := p.line(float64(now-p.start) / 1e9)
	if p.text {
		fmt.Fprint(stderr, "\r"+line)
		return
	}
	b := Bundle{"text/plain": line, "text/html": p.html(line)}
	if p.h == nil {
		p.h = DisplayBundle(b, nil)
	} else {
		p.h.UpdateBundle(b, nil)
	}
}

// line formats the bar like tqdm:
// "Batch: 100%|██████████| 1000/1000 [00:07<00:00, 129.91 epoch/s]".
func (p *Progress) line(elapsed float64) string {
	var sb strings.Builder
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.n) / elapsed
	}
	rateText := "?" + p.unit + "/s"
	if rate > 0 && rate < 1 {
		rateText = fmt.Sprintf("%5.2fs/%s", 1/rate, strings.TrimSpace(p.unit))
	} else if rate > 0 {
		rateText = fmt.Sprintf("%5.2f%s/s", rate, p.unit)
	}
	if p.desc != "" {
		sb.WriteString(p.desc + ": ")
	}
	if p.total <= 0 {
		fmt.Fprintf(&sb, "%d%s [%s, %s%s]", p.n, p.unit, clockText(elapsed), rateText, p.postfixText())
		return sb.String()
	}
	frac := float64(p.n) / float64(p.total)
	frac = math.Max(0, math.Min(1, frac))
	remaining := "?"
	if rate > 0 {
		remaining = clockText(math.Max(0, float64(p.total-p.n)/rate))
	}
	fmt.Fprintf(&sb, "%3.0f%%|%s| %d/%d [%s<%s, %s%s]",
		100*float64(p.n)/float64(p.total), bar(frac, 10), p.n, p.total,
		clockText(elapsed), remaining, rateText, p.postfixText())
	return sb.String()
}

func (p *Progress) postfixText() string {
	var parts []string
	for i, k := range p.keys {
		parts = append(parts, k+"="+strconv.FormatFloat(p.vals[i], 'g', 3, 64))
	}
	if p.postfix != "" {
		parts = append(parts, p.postfix)
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

// bar draws frac of width cells with eighth-block resolution, as tqdm does.
func bar(frac float64, width int) string {
	const parts = " ▏▎▍▌▋▊▉"
	eighths := int(frac * float64(width) * 8)
	full, rest := eighths/8, eighths%8
	var sb strings.Builder
	sb.WriteString(strings.Repeat("█", full))
	if full < width {
		sb.WriteString(string([]rune(parts)[rest]))
		sb.WriteString(strings.Repeat(" ", width-full-1))
	}
	return sb.String()
}

// clockText formats seconds as tqdm does: mm:ss, or h:mm:ss past an hour.
func clockText(sec float64) string {
	s := int(sec)
	h, m := s/3600, s/60%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s%60)
	}
	return fmt.Sprintf("%02d:%02d", m, s%60)
}

func (p *Progress) html(line string) string {
	// The text after the bar, as in tqdm.notebook: drop the desc and the
	// text bar, keep the numbers.
	info := line
	if i := strings.LastIndex(line, "| "); i >= 0 && p.total > 0 {
		pct := fmt.Sprintf("%3.0f%% ", 100*float64(p.n)/float64(p.total))
		info = pct + line[i+2:]
	} else if p.desc != "" {
		info = strings.TrimPrefix(line, p.desc+": ")
	}
	color := "#2196f3" // running
	switch {
	case p.total > 0 && p.n >= p.total:
		color = "#4caf50" // done
	case p.closed:
		color = "#ff9800" // closed early
	}
	var sb strings.Builder
	sb.WriteString(`<div style="display:flex;align-items:center;gap:0.6em;font-family:monospace">`)
	if p.desc != "" {
		fmt.Fprintf(&sb, `<span style="flex:none">%s:</span>`, html.EscapeString(p.desc))
	}
	if p.total > 0 {
		pct := 100 * math.Max(0, math.Min(1, float64(p.n)/float64(p.total)))
		fmt.Fprintf(&sb, `<div style="flex:none;width:20em;height:1em;border:1px solid #999;background:#eee">`+
			`<div style="width:%.1f%%;height:100%%;background:%s"></div></div>`, pct, color)
	}
	fmt.Fprintf(&sb, `<span>%s</span></div>`, html.EscapeString(info))
	return sb.String()
}
