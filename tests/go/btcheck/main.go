// btcheck: an independent check of jcat's transparency code with Go's
// golang.org/x/mod/sumdb/note and sumdb/tlog (Debian golang-golang-x-mod-dev),
// built offline in GOPATH mode by jcat-core's tests.
//
//	btcheck verify VKEY NOTE MANIFEST PROOF INDEX
//	    opens the signed note with the vkey, parses the checkpoint body and
//	    checks that MANIFEST is record INDEX of that tree; prints "ok <origin> <size>".
//	btcheck sign NAME TEXT
//	    generates a key, prints its vkey on the first line and then the
//	    signed note of TEXT's contents.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func die(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func read(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		die("%v", err)
	}
	return b
}

func verify(vkeyPath, notePath, manifestPath, proofPath, index string) {
	v, err := note.NewVerifier(strings.TrimSpace(string(read(vkeyPath))))
	if err != nil {
		die("vkey: %v", err)
	}
	n, err := note.Open(read(notePath), note.VerifierList(v))
	if err != nil {
		die("note: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		die("checkpoint: too short")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		die("checkpoint size: %v", err)
	}
	rootBytes, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(rootBytes) != tlog.HashSize {
		die("checkpoint root")
	}
	var root tlog.Hash
	copy(root[:], rootBytes)
	var proof tlog.RecordProof
	for _, l := range bytes.Split(bytes.TrimRight(read(proofPath), "\n"), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		h, err := base64.StdEncoding.DecodeString(string(l))
		if err != nil || len(h) != tlog.HashSize {
			die("proof line")
		}
		var hh tlog.Hash
		copy(hh[:], h)
		proof = append(proof, hh)
	}
	i, err := strconv.ParseInt(index, 10, 64)
	if err != nil {
		die("index: %v", err)
	}
	if err := tlog.CheckRecord(proof, size, root, i, tlog.RecordHash(read(manifestPath))); err != nil {
		die("inclusion: %v", err)
	}
	fmt.Printf("ok %s %d\n", lines[0], size)
}

func sign(name, textPath string) {
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		die("%v", err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		die("%v", err)
	}
	msg, err := note.Sign(&note.Note{Text: string(read(textPath))}, s)
	if err != nil {
		die("%v", err)
	}
	fmt.Printf("%s\n%s", vkey, msg)
}

func main() {
	switch {
	case len(os.Args) == 7 && os.Args[1] == "verify":
		verify(os.Args[2], os.Args[3], os.Args[4], os.Args[5], os.Args[6])
	case len(os.Args) == 4 && os.Args[1] == "sign":
		sign(os.Args[2], os.Args[3])
	default:
		die("usage: btcheck verify VKEY NOTE MANIFEST PROOF INDEX | btcheck sign NAME TEXT")
	}
}
