package kernel

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"testing"
)

func TestSignatureIsHMACSHA256OfTheFourParts(t *testing.T) {
	s, _ := NewSigner("secret", "hmac-sha256")
	frames, err := s.Encode([][]byte{[]byte("id1")}, newHeader("status", "sess"), nil, nil, map[string]string{"a": "b"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Decode(frames)
	if err != nil {
		t.Fatalf("decoding our own message: %v", err)
	}
	if string(m.Identities[0]) != "id1" || m.Header.MsgType != "status" || string(m.Content) != `{"a":"b"}` {
		t.Errorf("round trip lost data: %+v", m)
	}
	// Flip one byte of the content: the signature must no longer match.
	frames[len(frames)-1] = []byte(`{"a":"c"}`)
	if _, err := s.Decode(frames); err != ErrBadSignature {
		t.Errorf("tampered content: err = %v, want ErrBadSignature", err)
	}
	other, _ := NewSigner("other key", "")
	frames, _ = other.Encode(nil, newHeader("status", "sess"), nil, nil, map[string]string{})
	if _, err := s.Decode(frames); err != ErrBadSignature {
		t.Errorf("wrong key: err = %v, want ErrBadSignature", err)
	}
}

func TestEmptyKeyMeansUnsigned(t *testing.T) {
	s, _ := NewSigner("", "hmac-sha256")
	frames, _ := s.Encode(nil, newHeader("status", "x"), nil, nil, map[string]string{})
	if len(frames[1]) != 0 {
		t.Errorf("signature = %q, want empty", frames[1])
	}
	if _, err := s.Decode(frames); err != nil {
		t.Errorf("unsigned message rejected: %v", err)
	}
}

func TestUnknownSchemeRejected(t *testing.T) {
	if _, err := NewSigner("k", "hmac-md5"); err == nil {
		t.Error("hmac-md5 accepted")
	}
}

// Garbage in any frame must give an error, never a panic or a message.
func TestDecodeGarbageNeverPanics(t *testing.T) {
	s, _ := NewSigner("k", "")
	good, _ := s.Encode([][]byte{[]byte("id")}, newHeader("execute_request", "x"), nil, nil, map[string]string{"code": "1"})
	rng := rand.New(rand.NewSource(1))
	cases := [][][]byte{
		nil,
		{[]byte("<IDS|MSG>")},
		{[]byte("<IDS|MSG>"), []byte("sig")},
		good[:5],
	}
	for i := 0; i < 500; i++ {
		f := make([][]byte, len(good))
		copy(f, good)
		j := rng.Intn(len(f))
		junk := make([]byte, rng.Intn(40))
		rng.Read(junk)
		f[j] = junk
		cases = append(cases, f)
	}
	for _, c := range cases {
		if m, err := s.Decode(c); err == nil && !bytes.Equal(c[len(c)-1], good[len(good)-1]) {
			t.Errorf("garbage decoded as %+v", m)
		}
	}
	// A correctly signed message with invalid JSON is rejected too.
	parts := [][]byte{[]byte(`{"msg_type":"x"`), []byte("{}"), []byte("{}"), []byte("{}")}
	f := append([][]byte{delimiter, s.Sign(parts)}, parts...)
	if _, err := s.Decode(f); err == nil {
		t.Error("bad header JSON accepted")
	}
	var h Header
	json.Unmarshal(good[3], &h)
	if h.Version != ProtocolVersion {
		t.Errorf("header version = %q", h.Version)
	}
}
