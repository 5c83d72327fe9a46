package snippets

//go:generate go run ./internal/gentokens -out tokens_gen.go

import (
	"compress/flate"
	"encoding/binary"
	"hash/fnv"
	"io"
	"sort"
	"strings"
)

// storedEntry is the token stream of one rendered snippet, stored at build
// time (tokens_gen.go, written by go generate from every framework and
// every catalogue code it applies to): lexing with chroma at run time costs
// tens of milliseconds, most of it compiling the lexer's regexps, and
// linking chroma costs every command its package inits and size.
//
// A stream is a run of (index in storedTypes, uvarint length in bytes)
// pairs, DEFLATE-compressed, with the stream of the framework's first code
// as the preset dictionary when dict >= 0: the snippets of one framework
// differ in a few literals and comments only.
type storedEntry struct {
	key  uint64 // sourceKey of the rendered snippet
	dict int16  // index in storedIndex of the dictionary stream, or -1
	data string
}

// sourceKey identifies a rendered snippet: FNV-1a of its language and
// source. Tokens are only taken from the store when the key matches and
// their lengths cover the source exactly; anything else (a catalogue edit
// not yet regenerated, a reply text given on the command line) is not
// coloured from the store (see HighlightReply).
func sourceKey(language, src string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, language)
	h.Write([]byte{0})
	io.WriteString(h, src)
	return h.Sum64()
}

// storedTokens returns the stored tokens of a rendered snippet, if any.
func storedTokens(language, src string) ([]token, bool) {
	key := sourceKey(language, src)
	i := sort.Search(len(storedIndex), func(i int) bool { return storedIndex[i].key >= key })
	if i == len(storedIndex) || storedIndex[i].key != key {
		return nil, false
	}
	raw, err := storedStream(i)
	if err != nil {
		return nil, false
	}
	var toks []token
	pos := 0
	for len(raw) > 0 {
		t := int(raw[0])
		n, w := binary.Uvarint(raw[1:])
		if t >= len(storedTypes) || w <= 0 || n > uint64(len(src)-pos) {
			return nil, false
		}
		raw = raw[1+w:]
		toks = append(toks, token{storedTypes[t], src[pos : pos+int(n)]})
		pos += int(n)
	}
	if pos != len(src) {
		return nil, false
	}
	return toks, true
}

// storedStream decompresses entry i's stream.
func storedStream(i int) ([]byte, error) {
	e := storedIndex[i]
	var r io.ReadCloser
	if e.dict >= 0 {
		dict, err := storedStream(int(e.dict))
		if err != nil {
			return nil, err
		}
		r = flate.NewReaderDict(strings.NewReader(e.data), dict)
	} else {
		r = flate.NewReader(strings.NewReader(e.data))
	}
	defer r.Close()
	return io.ReadAll(r)
}
