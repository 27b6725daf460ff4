package kernel

import (
	"encoding/json"
	"regexp"
	"unicode/utf8"
)

// Jupyter's spec gives cursor positions in Unicode code points; JupyterLab
// 3.5 and later send UTF-16 code units. The two differ only after a
// character outside the Basic Multilingual Plane (an emoji, say).
//
// Nothing in the protocol says which a client counts, so the kernel tells
// by the client's headers, request by request: each client is judged on
// its own, from its first request, and a cursor out of range (a slip of
// any client) changes nothing. JupyterLab's @jupyterlab/services writes a
// subshell_id into every header (7.4 and later) and, before that, an empty
// username with JavaScript's millisecond date. Notebook 6 (code points)
// sends the username "username"; jupyter_client (code points, Python)
// writes microseconds.

// jsDate is the shape of JavaScript's Date.toISOString.
var jsDate = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// countsUTF16 reports whether the client that sent m counts cursor
// positions in UTF-16 code units.
func countsUTF16(m *Message) bool {
	var h map[string]json.RawMessage
	if json.Unmarshal(m.RawHeader, &h) != nil {
		return false
	}
	if _, ok := h["subshell_id"]; ok {
		return true
	}
	return m.Header.Username == "" && jsDate.MatchString(m.Header.Date)
}

// cursor converts a request's cursor_pos to code points, defaulting to the
// end of the code and clamped to it.
func cursor(code string, pos *int, utf16 bool) int {
	n := utf8.RuneCountInString(code)
	if pos == nil {
		return n
	}
	p := max(*pos, 0)
	if utf16 {
		p = utf16ToRunes(code, p)
	}
	return min(p, n)
}

// walkOffsets walks code and calls stop with the UTF-16 and code-point
// offsets reached so far, until stop returns true; it returns the last pair.
func walkOffsets(code string, stop func(units, runes int) bool) (units, runes int) {
	for _, r := range code {
		if stop(units, runes) {
			return
		}
		units++
		if r > 0xFFFF {
			units++
		}
		runes++
	}
	return
}

// utf16ToRunes converts a UTF-16 offset into code into a code-point offset.
func utf16ToRunes(code string, pos int) int {
	_, runes := walkOffsets(code, func(u, _ int) bool { return u >= pos })
	return runes
}

// runesToUTF16 converts a code-point offset into code into a UTF-16 offset.
func runesToUTF16(code string, pos int) int {
	units, _ := walkOffsets(code, func(_, r int) bool { return r >= pos })
	return units
}
