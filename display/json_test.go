package display

import "testing"

func TestJSONDataBase64EncodesBinary(t *testing.T) {
	b := Bundle{"image/png": []byte{0x89, 'P', 'N', 'G'}, "text/plain": "x"}
	d := b.JSONData()
	if d["image/png"] != "iVBORw==" {
		t.Errorf("image/png = %v, want base64 iVBORw==", d["image/png"])
	}
	if d["text/plain"] != "x" {
		t.Errorf("text/plain = %v", d["text/plain"])
	}
}
