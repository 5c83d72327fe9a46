// Package jsontext writes JSON strings exactly as encoding/json does with
// HTML escaping off, without reflection: for the hot loop of explain and
// for the snippets' problem+json bodies on the lookup path, where
// encoding/json's start-up costs more than the value it writes.
package jsontext

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// plain8 reports whether none of the eight bytes of v is a control
// character, '"', '\\' or past ASCII (each test may flag a byte that is
// fine, never miss one that is not).
func plain8(v uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q := v ^ ('"' * lo)
	b := v ^ ('\\' * lo)
	return (v|(v-0x20*lo)|(q-lo)&^q|(b-lo)&^b)&hi == 0
}

// AppendString appends s as a JSON string the way encoding/json does with
// HTML escaping off: control characters escaped, invalid UTF-8 replaced by
// U+FFFD, U+2028 and U+2029 escaped.
func AppendString[T string | []byte](dst []byte, s T) []byte {
	if len(s) <= 16 {
		// Short strings (codes, commands, names) are mostly plain: one
		// look at each byte, one append.
		plain := true
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
				plain = false
				break
			}
		}
		if plain {
			dst = append(dst, '"')
			dst = append(dst, s...)
			return append(dst, '"')
		}
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a look of its own.
		for i+8 <= len(s) {
			w := s[i : i+8] // one bounds check: the loads below combine into one
			if !plain8(uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56) {
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(string(s[i:min(len(s), i+utf8.UTFMax)]))
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
