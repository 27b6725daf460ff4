package kernel

import "unicode/utf8"

// Jupyter's spec gives cursor positions in Unicode code points; JupyterLab
// 3.5 and later send UTF-16 code units. The two differ only after a
// character outside the Basic Multilingual Plane (an emoji, say).

// utf16ToRunes converts a UTF-16 offset into code into a code-point offset.
func utf16ToRunes(code string, pos int) int {
	units, runes := 0, 0
	for _, r := range code {
		if units >= pos {
			break
		}
		units++
		if r > 0xFFFF {
			units++
		}
		runes++
	}
	return runes
}

// runesToUTF16 converts a code-point offset into code into a UTF-16 offset.
func runesToUTF16(code string, pos int) int {
	units, runes := 0, 0
	for _, r := range code {
		if runes >= pos {
			break
		}
		units++
		if r > 0xFFFF {
			units++
		}
		runes++
	}
	return units
}

// cursorUnits decides how a frontend counts a cursor position. A position
// past the last code point can only be a UTF-16 offset; otherwise the
// spec's code points are assumed.
func cursorIsUTF16(code string, pos int) bool {
	return pos > utf8.RuneCountInString(code)
}
