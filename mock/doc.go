// Package mock is a scriptable SMTP server for tests, in the spirit of
// net/http/httptest: it listens on a free loopback port, behaves as a
// well-behaved RFC 5321 server (PIPELINING, SIZE, 8BITMIME, SMTPUTF8,
// ENHANCEDSTATUSCODES, CHUNKING, STARTTLS, AUTH PLAIN and LOGIN), answers
// with the replies its rules ask for, and records sessions and messages.
// It is the engine of `smtpcode mock`.
//
// Rules are written as on the command line ("RCPT:*@full.example=452",
// see ParseRule), and a client may also pick a reply by address, as with
// httpbin's /status/502: RCPT TO:<550-5.1.1@mock.test>.
//
// The server is written here rather than on github.com/emersion/go-smtp:
// go-smtp hardcodes its greeting, its EHLO reply, 252 for VRFY and 502 for
// HELP and EXPN, which are the stages a tester most needs to script. What
// a library would have saved, bounded line reading and dot-unstuffing, is
// small, and is fuzzed here (FuzzReadLine, FuzzSession).
package mock
