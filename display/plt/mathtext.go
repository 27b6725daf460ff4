package plt

import (
	"math"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// mathHandler draws the little of matplotlib's mathtext that plot labels
// use: inside $...$, TeX names of Greek letters and symbols become their
// Unicode characters and ^{...} / _{...} become raised or lowered smaller
// text. (gonum's LaTeX handler cannot do superscripts.)
type mathHandler struct{ text.Plain }

var texSymbols = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
	"zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
	"nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
	"varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
	"Theta": "Θ", "Lambda": "Λ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
	"nabla": "∇", "partial": "∂", "cdot": "·", "times": "×", "pm": "±", "infty": "∞",
	"leq": "≤", "geq": "≥", "le": "≤", "ge": "≥", "neq": "≠", "approx": "≈", "sum": "Σ",
	"to": "→", "rightarrow": "→", "leftarrow": "←", "sqrt": "√", "hat": "", "mathrm": "", "mathbf": "",
	",": " ", ";": " ", "quad": "  ", " ": " ", "{": "{", "}": "}", "$": "$", "%": "%",
}

type segment struct {
	s     string
	shift int // +1 superscript, -1 subscript
}

// segments splits txt into runs of normal, raised and lowered text.
func segments(txt string) []segment {
	var out []segment
	var cur strings.Builder
	flush := func(shift int) {
		if cur.Len() > 0 {
			out = append(out, segment{cur.String(), shift})
			cur.Reset()
		}
	}
	math := false
	r := []rune(txt)
	for i := 0; i < len(r); i++ {
		ch := r[i]
		switch {
		case ch == '$':
			math = !math
		case !math:
			cur.WriteRune(ch)
		case ch == '\\':
			j := i + 1
			for j < len(r) && (r[j] >= 'a' && r[j] <= 'z' || r[j] >= 'A' && r[j] <= 'Z') {
				j++
			}
			if j == i+1 && j < len(r) {
				j++ // \, \{ and friends
			}
			name := string(r[i+1 : j])
			if s, ok := texSymbols[name]; ok {
				cur.WriteString(s)
			} else {
				cur.WriteString(name)
			}
			i = j - 1
		case ch == '^' || ch == '_':
			shift := 1
			if ch == '_' {
				shift = -1
			}
			var arg []rune
			if i+1 < len(r) && r[i+1] == '{' {
				j := i + 2
				for j < len(r) && r[j] != '}' {
					j++
				}
				arg = r[i+2 : min(j, len(r))]
				i = j
			} else if i+1 < len(r) {
				arg = r[i+1 : i+2]
				i++
			}
			flush(0)
			sub := segments("$" + string(arg) + "$")
			for _, s := range sub {
				out = append(out, segment{s.s, shift})
			}
		case ch == ' ' || ch == '{' || ch == '}':
			// TeX ignores spaces and grouping braces in math
		case ch == '-':
			cur.WriteRune('−')
		default:
			cur.WriteRune(ch)
		}
	}
	flush(0)
	return out
}

const scriptScale = 0.7

func (h mathHandler) segWidth(s segment, fnt font.Font) vg.Length {
	f := fnt
	if s.shift != 0 {
		f.Size = vg.Length(float64(f.Size) * scriptScale)
	}
	face := h.Fonts.Lookup(f, f.Size)
	return face.Width(s.s)
}

func (h mathHandler) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	face := h.Fonts.Lookup(fnt, fnt.Size)
	ext := face.Extents()
	height, depth = ext.Ascent, ext.Descent
	for _, s := range segments(txt) {
		width += h.segWidth(s, fnt)
		switch s.shift {
		case 1:
			height = vg.Length(math.Max(float64(height), float64(fnt.Size)*0.38+float64(ext.Ascent)*scriptScale))
		case -1:
			depth = vg.Length(math.Max(float64(depth), float64(fnt.Size)*0.2+float64(ext.Descent)*scriptScale))
		}
	}
	return width, height, depth
}

func (h mathHandler) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
		defer c.Pop()
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos, sin := vg.Length(cos64), vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin

	lines := h.Lines(txt)
	base := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	ht := sty.Height(txt)
	pt.Y += ht*vg.Length(sty.YAlign) - base.Extents().Ascent
	for i, line := range lines {
		w, _, _ := h.Box(line, sty.Font)
		x := pt.X + vg.Length(sty.XAlign)*w
		y := pt.Y + vg.Length(len(lines)-i)*sty.Font.Size
		for _, s := range segments(line) {
			f := sty.Font
			dy := vg.Length(0)
			if s.shift != 0 {
				f.Size = vg.Length(float64(f.Size) * scriptScale)
				dy = vg.Length(float64(sty.Font.Size) * 0.38)
				if s.shift < 0 {
					dy = -vg.Length(float64(sty.Font.Size) * 0.2)
				}
			}
			face := h.Fonts.Lookup(f, f.Size)
			c.FillString(face, vg.Point{X: x, Y: y + dy}, s.s)
			x += face.Width(s.s)
		}
	}
}

// padded adds matplotlib's gap between the x axis' tick marks and their
// labels: dy more height above top-aligned labels, which moves them down.
type padded struct {
	text.Handler
	dy vg.Length
}

func (h padded) Box(txt string, fnt font.Font) (w, ht, d vg.Length) {
	w, ht, d = h.Handler.Box(txt, fnt)
	return w, ht + h.dy, d
}
