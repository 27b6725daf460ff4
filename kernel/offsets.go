package kernel

// Jupyter's spec gives cursor positions in Unicode code points; JupyterLab
// 3.5 and later send UTF-16 code units. The two differ only after a
// character outside the Basic Multilingual Plane (an emoji, say).

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
