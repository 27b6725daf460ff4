package main

import (
	"bytes"
	"os"
	"testing"
)

// The checked-in gemm_amd64.s is what this generator writes: a change to the
// generator without `go generate ./autograd` fails here.
func TestGeneratedFileFresh(t *testing.T) {
	have, err := os.ReadFile("../../gemm_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, generate()) {
		t.Fatal("autograd/gemm_amd64.s is stale: run go generate ./autograd")
	}
}
