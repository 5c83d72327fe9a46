package explain

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
)

// Providers are recognised by the host names and links on a reply's line
// (the MX a log names, the help page a reply points to) and by the marks
// they put in their replies (Gmail's "gsmtp", Yahoo's [TSS04]).

// providerOf names the provider whose host or mark appears in win (the
// reply's line around it) or text (the reply), or "".
func providerOf(win, text []byte) string {
	if p := providerIn(win, text); p != "" {
		return p
	}
	return providerIn(text, nil)
}

func providerIn(win, text []byte) string {
	if bytes.Contains(text, []byte("gsmtp")) {
		return "Gmail"
	}
	if bytes.Contains(text, []byte("STOREDRV.")) {
		return "Microsoft 365" // Exchange Online's store driver
	}
	// The dots a letter follows: the dots in numbers (addresses, versions,
	// times, enhanced codes) are most. Thirty-two bytes at a time with
	// AVX2, then eight at a time.
	var pos [64]int32
	i := 0
	for {
		n, next := dotLetters(win, i, pos[:])
		for _, k := range pos[:n] {
			if p := hostAt(win, int(k)); p != "" {
				return p
			}
		}
		if next == i {
			break
		}
		i = next
	}
	for ; i+9 <= len(win); i += 8 {
		m := dotMask(binary.LittleEndian.Uint64(win[i:])) & letterMask(binary.LittleEndian.Uint64(win[i+1:]))
		for m != 0 {
			k := i + bits.TrailingZeros64(m)>>3
			m &= m - 1
			if p := hostAt(win, k); p != "" {
				return p
			}
		}
	}
	for k := i; k+1 < len(win); k++ {
		if win[k] == '.' && isLetter(win[k+1]) {
			if p := hostAt(win, k); p != "" {
				return p
			}
		}
	}
	return ""
}

// letterMask has the high bit of each byte of w that is an ASCII letter.
func letterMask(w uint64) uint64 {
	x := w | 0x20*lo8 // lower case; other bytes stay what they were or become no letter
	y := x & (0x7f * lo8)
	ge := y + (0x80-'a')*lo8   // the high bit: at least 'a'
	gt := y + (0x80-'z'-1)*lo8 // the high bit: past 'z'
	return ge &^ gt &^ x & hi8
}

// hostAt names the provider of the host whose top-level domain follows the
// dot at k, a letter after it, or "".
func hostAt(win []byte, k int) string {
	// Only a top-level domain of two or three letters (or Exchange's ADR)
	// can follow.
	if !tldFirst[win[k+1]] {
		return "" // most dots a letter follows: inside a host's name
	}
	e := k + 1
	for e < len(win) && e < k+5 && isLabelByte(win[e]) {
		e++
	}
	if n := e - k - 1; n < 2 || n > 3 || (e < len(win) && isLabelByte(win[e])) {
		return ""
	}
	if t := tldCode(win[k+1 : e]); t == 0 || k == 0 || strings.IndexByte(labelEnds(t), lower(win[k-1])) < 0 {
		return "" // most of the rest: example.net, example.com
	}
	s := k
	for s > 0 && s > k-24 && isLabelByte(win[s-1]) {
		s--
	}
	if s == k {
		return ""
	}
	label := win[s:k]
	if k-s > 4 && isDigit(win[s]) && isDigit(win[s+1]) && isDigit(win[s+2]) && win[s+3] == '-' {
		label = win[s+4 : k] // "554-gmx.net": a reply's code before a host
	}
	p := hostProvider(label, win[k+1:e])
	if p == "" {
		return ""
	}
	h := s
	for h > 0 && h > s-256 && (isLabelByte(win[h-1]) || win[h-1] == '.') {
		h--
	}
	if h > 0 && win[h-1] == '@' {
		return "" // an address or a message id names no server
	}
	return p
}

// tldCode is tld lower-cased in an integer, its letters one a byte, when
// it is one of hostProvider's domains, else 0.
func tldCode(tld []byte) uint32 {
	var t uint32
	for _, c := range tld {
		t = t<<8 | uint32(lower(c))
	}
	switch t {
	case tldCOM, tldNET, tldADR, tldDE, tldRU, tldFR, tldCH:
		return t
	}
	return 0
}

const (
	tldCOM = 'c'<<16 | 'o'<<8 | 'm'
	tldNET = 'n'<<16 | 'e'<<8 | 't'
	tldADR = 'a'<<16 | 'd'<<8 | 'r'
	tldDE  = 'd'<<8 | 'e'
	tldRU  = 'r'<<8 | 'u'
	tldFR  = 'f'<<8 | 'r'
	tldCH  = 'c'<<8 | 'h'
)

// labelEnds holds the last bytes of hostProvider's labels under the
// domain t (a tldCode): a label ending in another names no provider.
func labelEnds(t uint32) string {
	switch t {
	case tldCOM:
		return "elkn5tsocdx36hq"
	case tldNET:
		return "stxd"
	case tldDE:
		return "bxer"
	case tldRU:
		return "lx"
	case tldFR:
		return "eo"
	case tldCH:
		return "l"
	case tldADR:
		return "r"
	}
	return ""
}

// tldFirst holds the first letters of tldCode's domains, in either case.
var tldFirst = func() (t [256]bool) {
	for _, c := range "cnadrf" {
		t[c], t[c-'a'+'A'] = true, true
	}
	return t
}()

func isLabelByte(c byte) bool { return labelBytes[c] }

// labelBytes holds the letters, digits and '-'.
var labelBytes = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
	}
	return t
}()

// hostProvider maps the label before a dot and the one after it
// ("outlook" "com") to a provider.
func hostProvider(label, next []byte) string {
	var lb, nb [24]byte
	l := lowerInto(lb[:], label)
	n := lowerInto(nb[:], next)
	switch string(n) {
	case "com":
		switch string(l) {
		case "google", "googlemail", "gmail":
			return "Gmail"
		case "outlook", "hotmail", "live", "msn", "office365", "microsoft", "exchangelabs":
			return "Microsoft 365"
		case "yahoo", "yahooinc", "aol":
			return "Yahoo"
		case "icloud", "me", "mac", "apple":
			return "iCloud"
		case "pphosted", "ppe-hosted", "proofpoint":
			return "Proofpoint"
		case "mimecast":
			return "Mimecast"
		case "zoho", "zohomail":
			return "Zoho"
		case "amazonses":
			return "Amazon SES"
		case "barracudanetworks":
			return "Barracuda"
		case "messagingengine", "fastmail":
			return "Fastmail"
		case "gmx":
			return "GMX"
		case "163", "126", "yeah":
			return "NetEase"
		case "qq":
			return "QQ Mail"
		}
	case "net":
		switch string(l) {
		case "yahoodns":
			return "Yahoo"
		case "comcast":
			return "Comcast"
		case "gmx":
			return "GMX"
		case "yandex":
			return "Yandex"
		case "sendgrid":
			return "SendGrid"
		}
	case "de":
		switch string(l) {
		case "web":
			return "WEB.DE"
		case "gmx":
			return "GMX"
		case "t-online":
			return "T-Online"
		case "kundenserver":
			return "IONOS"
		}
	case "ru":
		switch string(l) {
		case "mail":
			return "Mail.ru"
		case "yandex":
			return "Yandex"
		}
	case "fr":
		switch string(l) {
		case "orange", "wanadoo":
			return "Orange"
		}
	case "ch":
		if string(l) == "protonmail" {
			return "Proton"
		}
	case "adr":
		if string(l) == "resolver" { // Exchange's RESOLVER.ADR.RecipNotFound
			return "Microsoft 365"
		}
	}
	return ""
}

func lowerInto(dst, src []byte) []byte {
	n := min(len(dst), len(src))
	for i := range n {
		dst[i] = lower(src[i])
	}
	return dst[:n]
}

// tagOf finds a provider's bracketed label in a reply, "[TSS04]", "[CS01]":
// two to four capitals and two digits.
func tagOf(text []byte) []byte {
	for i := 0; i < len(text); {
		k := bytes.IndexByte(text[i:], '[')
		if k < 0 {
			return nil
		}
		k += i
		i = k + 1
		j := k + 1
		for j < len(text) && j-k-1 < 4 && text[j] >= 'A' && text[j] <= 'Z' {
			j++
		}
		letters := j - k - 1
		if letters < 2 || j+3 > len(text) || !isDigit(text[j]) || !isDigit(text[j+1]) || text[j+2] != ']' {
			continue
		}
		return text[k+1 : j+2]
	}
	return nil
}

// tagProvider is the provider a tag belongs to: Yahoo's TSS04 and TS01,
// Apple's CS01 and HM08.
func tagProvider(tag []byte) string {
	switch {
	case bytes.HasPrefix(tag, []byte("TS")):
		return "Yahoo"
	case bytes.HasPrefix(tag, []byte("CS")), bytes.HasPrefix(tag, []byte("HM")):
		return "iCloud"
	}
	return ""
}

// continuationProvider reads the lines after a multi-line reply's first
// line ("535-5.7.8 ..." left open) that go on with the same code, however
// they are quoted or prefixed ("'535 5.7.8 ... - gsmtp'", "+ '535 ..."),
// for the provider's marks: Gmail puts "gsmtp" on the last line only. It
// stops at the line that closes the reply, and after three lines without
// the code.
func continuationProvider(b []byte, code []byte, from int) string {
	miss := 0
	hi := min(len(b), from+4096) // within the look-around's window
	for i, n := from, 0; i < hi && n < 12; n++ {
		e := bytes.IndexByte(b[i:hi], '\n')
		if e < 0 {
			e = hi - i
		}
		line := b[i : i+e]
		i += e + 1
		t := bytes.TrimLeft(line, " \t'\"+>")
		if len(t) < 4 || !bytes.Equal(t[:3], code) || t[3] != ' ' && t[3] != '-' {
			if miss++; miss > 3 {
				return ""
			}
			continue
		}
		if p := providerOf(nil, t); p != "" {
			return p
		}
		if t[3] == ' ' {
			return ""
		}
	}
	return ""
}
