package main

import (
	"bytes"
	"os"
	"testing"
)

// The checked-in kernels_amd64.s is what this generator writes: a change to the
// generator without `go generate ./optim` fails here.
func TestGeneratedFileFresh(t *testing.T) {
	have, err := os.ReadFile("../../kernels_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, generate()) {
		t.Fatal("optim/kernels_amd64.s is stale: run go generate ./optim")
	}
}
