package interp

// Complete returns completions for code at cursor (in code points) and the
// range they replace.
func (s *Session) Complete(code string, cursor int) (matches []string, start, end int) {
	return nil, cursor, cursor
}

// Inspect returns what is known about the name at cursor.
func (s *Session) Inspect(code string, cursor int, detail int) (map[string]any, bool) {
	return nil, false
}
