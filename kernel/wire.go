package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
	"time"
)

// ProtocolVersion is the Jupyter messaging protocol version gradlab speaks.
const ProtocolVersion = "5.3"

// delimiter separates routing identities from the signed message frames.
var delimiter = []byte("<IDS|MSG>")

// Header is a Jupyter message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one Jupyter message. Header, parent header, metadata and
// content are kept as the raw JSON received, because the signature covers
// exactly those bytes.
type Message struct {
	Identities [][]byte
	Header     Header
	RawHeader  json.RawMessage
	RawParent  json.RawMessage
	Metadata   json.RawMessage
	Content    json.RawMessage
	Buffers    [][]byte

	received  time.Time // when the kernel read it, for stop_on_error
	signature string    // the verified signature, lower-case hex; "" when unsigned
}

// Signer signs and verifies messages with HMAC-SHA256. A nil key means
// messages are unsigned, as the spec says for an empty key.
type Signer struct {
	key []byte
}

// NewSigner returns a signer for the connection file's key and scheme.
func NewSigner(key, scheme string) (*Signer, error) {
	if scheme != "" && scheme != "hmac-sha256" {
		return nil, fmt.Errorf("unsupported signature_scheme %q (gradlab supports hmac-sha256)", scheme)
	}
	if key == "" {
		return &Signer{}, nil
	}
	return &Signer{key: []byte(key)}, nil
}

func (s *Signer) mac(frames [][]byte) []byte {
	if s.key == nil {
		return nil
	}
	var h hash.Hash = hmac.New(sha256.New, s.key)
	for _, f := range frames {
		h.Write(f)
	}
	return h.Sum(nil)
}

// Sign returns the hex signature of header, parent, metadata and content.
func (s *Signer) Sign(frames [][]byte) []byte {
	m := s.mac(frames)
	if m == nil {
		return []byte{}
	}
	out := make([]byte, hex.EncodedLen(len(m)))
	hex.Encode(out, m)
	return out
}

// Verify reports whether sig is the signature of frames, in constant time.
func (s *Signer) Verify(sig []byte, frames [][]byte) bool {
	if s.key == nil {
		return true
	}
	want := s.mac(frames)
	got := make([]byte, hex.DecodedLen(len(sig)))
	n, err := hex.Decode(got, sig)
	if err != nil {
		return false
	}
	return hmac.Equal(want, got[:n])
}

// ErrBadSignature is returned by Decode for a message whose signature does
// not match; such a message must never be acted upon.
var ErrBadSignature = errors.New("invalid message signature")

// Decode parses the frames of a multipart message received on a ROUTER or
// SUB socket and verifies its signature.
func (s *Signer) Decode(frames [][]byte) (*Message, error) {
	i := 0
	for ; i < len(frames); i++ {
		if bytes.Equal(frames[i], delimiter) {
			break
		}
	}
	if i == len(frames) {
		return nil, errors.New("no <IDS|MSG> delimiter in message")
	}
	if len(frames)-i-1 < 5 {
		return nil, fmt.Errorf("message has %d frames after the delimiter, want at least 5", len(frames)-i-1)
	}
	sig, parts := frames[i+1], frames[i+2:i+6]
	if !s.Verify(sig, parts) {
		return nil, ErrBadSignature
	}
	m := &Message{
		Identities: frames[:i],
		RawHeader:  parts[0],
		RawParent:  parts[1],
		Metadata:   parts[2],
		Content:    parts[3],
		Buffers:    frames[i+6:],
		signature:  strings.ToLower(string(sig)),
	}
	if err := json.Unmarshal(parts[0], &m.Header); err != nil {
		return nil, fmt.Errorf("bad header JSON: %v", err)
	}
	if m.Header.MsgType == "" {
		return nil, errors.New("header has no msg_type")
	}
	for name, raw := range map[string]json.RawMessage{"parent_header": m.RawParent, "metadata": m.Metadata, "content": m.Content} {
		if !json.Valid(raw) {
			return nil, fmt.Errorf("bad %s JSON", name)
		}
	}
	return m, nil
}

// Encode builds the frames of a message: identities, delimiter, signature,
// header, parent header, metadata, content.
func (s *Signer) Encode(identities [][]byte, header Header, parent json.RawMessage, metadata, content any) ([][]byte, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return nil, err
	}
	if len(parent) == 0 {
		parent = json.RawMessage("{}")
	}
	if metadata == nil {
		metadata = struct{}{}
	}
	md, err := json.Marshal(metadata)
	if err != nil {
		return nil, err
	}
	c, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("encoding %s content: %v", header.MsgType, err)
	}
	parts := [][]byte{h, parent, md, c}
	frames := make([][]byte, 0, len(identities)+6)
	frames = append(frames, identities...)
	frames = append(frames, delimiter, s.Sign(parts))
	return append(frames, parts...), nil
}

// newID returns a random UUID (version 4) string.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// newHeader returns a header for a message this kernel sends.
func newHeader(msgType, session string) Header {
	return Header{
		MsgID:    newID(),
		Session:  session,
		Username: "gradlab",
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}
