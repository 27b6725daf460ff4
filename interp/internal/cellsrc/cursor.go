package cellsrc

import (
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

func IsIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// ByteOffset converts a cursor in code points to a byte offset.
func ByteOffset(code string, cursor int) int {
	if cursor < 0 {
		return 0
	}
	i := 0
	for off := range code {
		if i == cursor {
			return off
		}
		i++
	}
	return len(code)
}

func RuneCount(s string) int { return utf8.RuneCountInString(s) }

// ExprAt finds the dotted name around byte offset off: the qualifier chain
// (["model", "fc1"]) and the identifier being typed, with its byte span.
func ExprAt(code string, off int) (chain []string, ident string, start, end int) {
	start = off
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(code[:start])
		if !IsIdentRune(r) {
			break
		}
		start -= n
	}
	end = off
	for end < len(code) {
		r, n := utf8.DecodeRuneInString(code[end:])
		if !IsIdentRune(r) {
			break
		}
		end += n
	}
	ident = code[start:end]
	p := start
	for p > 0 && code[p-1] == '.' {
		q := p - 1
		for q > 0 {
			r, n := utf8.DecodeLastRuneInString(code[:q])
			if !IsIdentRune(r) {
				break
			}
			q -= n
		}
		if q == p-1 {
			break
		}
		chain = append([]string{code[q : p-1]}, chain...)
		p = q
	}
	return chain, ident, start, end
}

// InCommentOrString reports whether off is inside a comment or a string.
func InCommentOrString(code string, off int) bool {
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(code))
	toks := scanTokensWithComments(f, code)
	for _, t := range toks {
		if t.Off >= off {
			break
		}
		if (t.Tok == token.COMMENT || t.Tok == token.STRING || t.Tok == token.CHAR) && off > t.Off && off < t.Off+len(t.Lit) {
			return true
		}
		if t.Tok == token.COMMENT && off > t.Off && strings.HasPrefix(t.Lit, "//") && !strings.Contains(code[t.Off:off], "\n") {
			return true
		}
	}
	return false
}
