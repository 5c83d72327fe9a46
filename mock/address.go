package mock

import (
	"strings"
)

// ReservedDomain is the domain whose addresses pick the reply, the way
// httpbin takes the status from the path: RCPT TO:<550-5.1.1@mock.test>
// is answered "550 5.1.1 ...". ".test" is reserved by RFC 2606, so no
// real mail is ever addressed there.
const ReservedDomain = "mock.test"

// addressReply reads the reply an address asks for:
//
//	CODE@mock.test          this command gets CODE (catalogue text)
//	CODE-X.Y.Z@mock.test    this command gets CODE X.Y.Z
//	data-CODE[-X.Y.Z]@mock.test  (a recipient) the end of the message gets it
//
// forData selects the third form. It returns false for any other address.
func addressReply(addr string, forData bool) (Reply, bool) {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || !strings.EqualFold(addr[at+1:], ReservedDomain) {
		return Reply{}, false
	}
	local := strings.ToLower(addr[:at])
	rest, isData := strings.CutPrefix(local, "data-")
	if isData != forData {
		return Reply{}, false
	}
	code, enh, _ := strings.Cut(rest, "-")
	if len(code) != 3 || !isDigits(code) {
		return Reply{}, false
	}
	spec := code
	if enh != "" {
		if !isEnhancedCode(enh) {
			return Reply{}, false
		}
		spec += " " + enh
	}
	r, err := ParseReply(spec)
	if err != nil {
		return Reply{}, false
	}
	return r, true
}
