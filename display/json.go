package display

import "encoding/base64"

// JSONData returns the bundle as it travels in JSON (Jupyter messages and
// .ipynb files alike): binary data base64-encoded, everything else as is.
func (b Bundle) JSONData() map[string]any {
	data := make(map[string]any, len(b))
	for mime, v := range b {
		if raw, ok := v.([]byte); ok {
			data[mime] = base64.StdEncoding.EncodeToString(raw)
			continue
		}
		data[mime] = v
	}
	return data
}
